package org.icmlora.data.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads fortune files from Debian's {@code fortunes} package: the IRC and Linux-chat lines of the Ubuntu-IRC stand-in
 * ({@code debian}, {@code linux}, {@code knghtbrd}: mostly quoted IRC exchanges), or any other file of the package (the
 * single-topic files make the held-out experiment's extra text domains). Entries are separated by lines holding only
 * {@code %}; a fixed number of consecutive entries of a file form one document, so splits never cut an entry.
 */
public final class FortunesReader {

    /** The fortune files used. */
    public static final List<String> FILES = List.of("debian", "linux", "knghtbrd");
    static final int ENTRIES_PER_DOCUMENT = 20;

    private FortunesReader() {}

    /** Documents of {@value #ENTRIES_PER_DOCUMENT} entries of the IRC and Linux-chat files ({@link #FILES}). */
    public static List<TextDocument> read(RawPackage fortunes) {
        return read(fortunes, FILES, ENTRIES_PER_DOCUMENT);
    }

    /**
     * Documents of {@code entriesPerDocument} consecutive entries of the fortune files {@code files} (e.g.
     * "science").
     */
    public static List<TextDocument> read(RawPackage fortunes, List<String> files, int entriesPerDocument) {
        List<TextDocument> documents = new ArrayList<>();
        for (String name : files) {
            String file = "usr/share/games/fortunes/" + name;
            String[] entries = TextCleaning.decode(fortunes.read(file)).replace("\r\n", "\n").split("\n%\n");
            for (int start = 0; start < entries.length; start += entriesPerDocument) {
                StringBuilder text = new StringBuilder();
                for (int i = start; i < Math.min(entries.length, start + entriesPerDocument); i++) {
                    String entry = TextCleaning.normalize(entries[i].replaceAll("(?m)^%$", ""));
                    if (!entry.isEmpty()) {
                        text.append(entry).append("\n\n");
                    }
                }
                String cleaned = TextCleaning.normalize(text.toString());
                if (!cleaned.isEmpty()) {
                    documents.add(new TextDocument(fortunes.name() + "/" + name + "#" + start / entriesPerDocument,
                            cleaned));
                }
            }
        }
        return documents;
    }
}
