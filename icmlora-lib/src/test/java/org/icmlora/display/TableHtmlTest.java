package org.icmlora.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TableHtmlTest {

    private static Table sample() {
        return Table.create("scores <b>&</b>",
                StringColumn.create("task <i>", "a<script>", "b & \"c\""),
                IntColumn.create("rank", 4, 16));
    }

    @Test
    void rendersCaptionHeaderAndRowsExactly() {
        Table t = Table.create("t", StringColumn.create("name", "x"), IntColumn.create("n", new int[] {7}));
        assertEquals("<table class=\"icmlora-table\"><caption>t</caption><thead><tr><th>name</th><th>n</th></tr>"
                + "</thead><tbody><tr><td>x</td><td style=\"text-align:right\">7</td></tr></tbody></table>",
                TableHtml.of(t));
    }

    @Test
    void printsWholeNumbersAsIntegersAndOthersWithFourDecimals() {
        Table t = Table.create("t", DoubleColumn.create("v", 0.0011390519582931745, 2.0, 123456789.0, -0.96));
        t.doubleColumn("v").appendMissing();
        String html = TableHtml.of(t);
        assertTrue(html.contains(">0.0011</td>"), html);
        assertTrue(html.contains(">2</td>"), html);
        assertTrue(html.contains(">123456789</td>"), html);
        assertTrue(html.contains(">-0.9600</td>"), html);
        assertTrue(html.contains("<td style=\"text-align:right\"></td></tr></tbody>"),
                "a missing value stays empty: " + html);
    }

    @Test
    void escapesNamesAndValues() {
        String html = TableHtml.of(sample());
        assertTrue(html.contains("<caption>scores &lt;b&gt;&amp;&lt;/b&gt;</caption>"), html);
        assertTrue(html.contains("<th>task &lt;i&gt;</th>"), html);
        assertTrue(html.contains("<td>a&lt;script&gt;</td>"), html);
        assertTrue(html.contains("<td>b &amp; &quot;c&quot;</td>"), html);
        assertFalse(html.contains("<script>"), html);
    }

    @Test
    void cutsLongTablesAndSaysHowManyRowsWereShown() {
        String html = TableHtml.of(sample(), 1);
        assertEquals(1, html.split("<tr>", -1).length - 2, "one header row and one body row");
        assertTrue(html.endsWith("<p class=\"icmlora-table-note\">1 of 2 rows shown</p>"), html);
        assertFalse(TableHtml.of(sample(), 2).contains("rows shown"));
    }

    @Test
    void rejectsBadArguments() {
        assertEquals("maxRows must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> TableHtml.of(sample(), 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TableHtml.of(null));
    }
}
