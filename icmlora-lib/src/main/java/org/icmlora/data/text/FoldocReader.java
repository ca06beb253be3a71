package org.icmlora.data.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads FOLDOC, the Free On-line Dictionary of Computing (Debian {@code dict-foldoc}), the encyclopedia stand-in for
 * Wikipedia. The dictd index ({@code foldoc.index}) lists {@code headword TAB offset TAB length} with numbers in
 * dictd's base-64 digits; the data file ({@code foldoc.dict.dz}) is dictzip, which any gzip reader inflates. Each
 * distinct article (by offset) is one document; the database's own {@code 00-database-*} entries are skipped.
 * Cleaning: the cross-reference braces {@code {...}} are removed (their words stay), lines are un-indented.
 */
public final class FoldocReader {

    private static final String DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private FoldocReader() {}

    /** Every FOLDOC article. */
    public static List<TextDocument> read(RawPackage foldoc) {
        String index = new String(foldoc.read("usr/share/dictd/foldoc.index"), StandardCharsets.UTF_8);
        byte[] data = TextCleaning.gunzip(foldoc.read("usr/share/dictd/foldoc.dict.dz"), foldoc.name());
        TreeSet<Long> seen = new TreeSet<>();
        List<TextDocument> documents = new ArrayList<>();
        for (String line : index.split("\n")) {
            String[] fields = line.split("\t");
            if (fields.length != 3 || fields[0].startsWith("00-database") || fields[0].startsWith("00database")) {
                continue;
            }
            long offset = base64Number(fields[1]);
            int length = (int) base64Number(fields[2]);
            if (!seen.add(offset) || offset + length > data.length) {
                continue;
            }
            String article = new String(data, (int) offset, length, StandardCharsets.UTF_8)
                    .replace("{", "").replace("}", "").replaceAll("(?m)^[ \\t]+", "");
            String text = TextCleaning.normalize(article);
            if (!text.isEmpty()) {
                documents.add(new TextDocument(foldoc.name() + "/" + offset, text));
            }
        }
        return documents;
    }

    /** A number written in dictd's base-64 digits (most significant first). */
    static long base64Number(String digits) {
        long value = 0;
        for (char c : digits.toCharArray()) {
            int d = DIGITS.indexOf(c);
            if (d < 0) {
                throw new IllegalArgumentException("'" + digits + "' is not a dictd base-64 number");
            }
            value = value * 64 + d;
        }
        return value;
    }

}
