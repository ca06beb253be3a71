package org.icmlora.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerbatimLinesTest {

    private static final String LONG = "\\usepackage{amsmath} \\usepackage{graphicx} \\usepackage{hyperref}";

    @Test
    void aLineIsLongFromFortyCodePoints() {
        assertTrue(VerbatimLines.isLong("x".repeat(40)));
        assertFalse(VerbatimLines.isLong("x".repeat(39)));
        assertFalse(VerbatimLines.isLong("\uD835\uDC00".repeat(39)), "39 code points in 78 UTF-16 units");
    }

    @Test
    void longLinesAreComparedWithoutSurroundingSpaces() {
        Set<String> keys = VerbatimLines.of(List.of(new TextDocument("t", "  " + LONG + "\nshort line\n")));
        assertEquals(Set.of(LONG), keys);
    }

    @Test
    void withoutRemovesOnlyLongLinesFoundInTheKeysAndCollapsesTheGap() {
        TextDocument document = new TextDocument("d", "Intro\n\n    " + LONG + "\n\nshort line\nshort line\nEnd");
        TextDocument filtered = VerbatimLines.without(document, Set.of(LONG, "short line"));
        assertEquals("Intro\n\nshort line\nshort line\nEnd", filtered.text());
        assertEquals("d", filtered.id());
        assertSame(document, VerbatimLines.without(document, Set.of("another line that is long enough to count")));
        assertEquals("", VerbatimLines.without(new TextDocument("e", LONG), Set.of(LONG)).text());
    }
}
