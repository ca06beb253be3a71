package org.icmlora.data.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads IRC and Linux-chat lines from Debian's {@code fortunes} package ({@code debian}, {@code linux},
 * {@code knghtbrd}: mostly quoted IRC exchanges). Entries are separated by lines holding only {@code %}; every
 * {@value #ENTRIES_PER_DOCUMENT} consecutive entries of a file form one document, so splits never cut an entry.
 */
public final class FortunesReader {

    /** The fortune files used. */
    public static final List<String> FILES = List.of("debian", "linux", "knghtbrd");
    static final int ENTRIES_PER_DOCUMENT = 20;

    private FortunesReader() {}

    /** Documents of grouped fortune entries. */
    public static List<TextDocument> read(RawPackage fortunes) {
        List<TextDocument> documents = new ArrayList<>();
        for (String name : FILES) {
            String file = "usr/share/games/fortunes/" + name;
            String[] entries = TextCleaning.decode(fortunes.read(file)).replace("\r\n", "\n").split("\n%\n");
            for (int start = 0; start < entries.length; start += ENTRIES_PER_DOCUMENT) {
                StringBuilder text = new StringBuilder();
                for (int i = start; i < Math.min(entries.length, start + ENTRIES_PER_DOCUMENT); i++) {
                    String entry = TextCleaning.normalize(entries[i].replaceAll("(?m)^%$", ""));
                    if (!entry.isEmpty()) {
                        text.append(entry).append("\n\n");
                    }
                }
                String cleaned = TextCleaning.normalize(text.toString());
                if (!cleaned.isEmpty()) {
                    documents.add(new TextDocument(fortunes.name() + "/" + name + "#" + start / ENTRIES_PER_DOCUMENT,
                            cleaned));
                }
            }
        }
        return documents;
    }
}
