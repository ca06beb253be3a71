package org.icmlora.data.text;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The line rule of content-disjoint splits. A <em>long line</em> has at least {@value #MIN_CHARS} code points; two
 * long lines are the same when they are equal once leading and trailing spaces are stripped. Long lines are where
 * copied text shows (a template's body, a list footer, a fortune quoted twice); short ones ({@code \end{itemize}},
 * {@code }}, "Thanks,") recur in any text of a domain and say nothing about copying.
 *
 * <p>The preparer removes from every validation and test document the long lines that also occur in the corpus's
 * training split or in the general corpus ({@link #without}). Stripping makes the removal a superset of exact-line
 * matching: a test line that occurs verbatim in training text is always removed.
 */
public final class VerbatimLines {

    /** Code points from which a line counts as long. */
    public static final int MIN_CHARS = 40;

    private VerbatimLines() {}

    /** Whether {@code line} (one line, no line end) is long. */
    public static boolean isLong(String line) {
        return line.length() >= MIN_CHARS && line.codePointCount(0, line.length()) >= MIN_CHARS;
    }

    /** The keys of every long line of {@code documents}. */
    public static Set<String> of(Collection<TextDocument> documents) {
        Set<String> keys = new HashSet<>();
        for (TextDocument d : documents) {
            d.text().lines().filter(VerbatimLines::isLong).map(VerbatimLines::key).forEach(keys::add);
        }
        return keys;
    }

    /**
     * {@code document} without its long lines whose key is in {@code keys}: the same document when there are none,
     * else the remaining lines cleaned again by {@link TextCleaning#normalize} (so a removal leaves no run of blank
     * lines); the text is empty when nothing else was left.
     */
    public static TextDocument without(TextDocument document, Set<String> keys) {
        List<String> lines = document.text().lines().toList();
        List<String> kept = lines.stream().filter(line -> !(isLong(line) && keys.contains(key(line)))).toList();
        if (kept.size() == lines.size()) {
            return document;
        }
        return new TextDocument(document.id(), TextCleaning.normalize(String.join("\n", kept)));
    }

    /** The stripped form under which long lines are compared. */
    private static String key(String line) {
        return line.strip();
    }
}
