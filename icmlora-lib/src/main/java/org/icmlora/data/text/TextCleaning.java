package org.icmlora.data.text;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The cleaning steps every corpus shares, each deterministic (no locale, no randomness):
 *
 * <ol>
 *   <li>bytes are decoded as UTF-8; a file that is not valid UTF-8 is decoded as ISO-8859-1 (old LaTeX and mail);</li>
 *   <li>line ends become {@code \n}, the text is NFC-normalised, control characters other than newline and tab are
 *       dropped, tabs become spaces;</li>
 *   <li>trailing spaces are removed from every line and runs of blank lines collapse to one blank line;</li>
 *   <li>leading and trailing blank lines are removed.</li>
 * </ol>
 * Domain-specific steps (tags, headers, quotes, signatures, LaTeX comments) live in the readers and run before this.
 */
public final class TextCleaning {

    private static final Pattern TRAILING_SPACES = Pattern.compile("[ \\u00A0]+(?=\\n|$)");
    private static final Pattern BLANK_RUNS = Pattern.compile("\\n{3,}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\n\\t]]");

    private TextCleaning() {}

    /** Decodes bytes as UTF-8, or as ISO-8859-1 when they are not valid UTF-8. */
    public static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** The shared normalisation described on this class. */
    public static String normalize(String text) {
        String t = text.replace("\r\n", "\n").replace('\r', '\n');
        t = Normalizer.normalize(t, Normalizer.Form.NFC);
        t = CONTROL.matcher(t).replaceAll("").replace('\t', ' ');
        t = TRAILING_SPACES.matcher(t).replaceAll("");
        t = BLANK_RUNS.matcher(t).replaceAll("\n\n");
        return t.strip();
    }

    /** Removes LaTeX comments: from an unescaped {@code %} to the end of its line; lines that become empty go. */
    public static String stripLatexComments(String latex) {
        StringBuilder out = new StringBuilder(latex.length());
        for (String line : latex.split("\n", -1)) {
            int cut = -1;
            for (int i = 0; i < line.length(); i++) {
                if (line.charAt(i) == '%' && (i == 0 || line.charAt(i - 1) != '\\')) {
                    cut = i;
                    break;
                }
            }
            if (cut == 0) {
                continue; // a whole-line comment
            }
            out.append(cut > 0 ? line.substring(0, cut) : line).append('\n');
        }
        return out.toString();
    }

    /** The first {@code maxChars} code points of {@code text}, cut back to the last line end when there is one. */
    public static String truncate(String text, int maxChars) {
        if (text.codePointCount(0, text.length()) <= maxChars) {
            return text;
        }
        String head = text.substring(0, text.offsetByCodePoints(0, maxChars));
        int lastLine = head.lastIndexOf('\n');
        return (lastLine > maxChars / 2 ? head.substring(0, lastLine) : head).strip();
    }

    /** Inflates gzip (or dictzip) bytes; {@code where} names the source in the error. */
    public static byte[] gunzip(byte[] compressed, String where) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(where + " is not a readable gzip file", e);
        }
    }
}
