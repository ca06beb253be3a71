package org.icmlora.display;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Renders a Tablesaw {@link Table} as a plain HTML table: the table name as caption, one header row, numbers
 * right-aligned (whole numbers as integers, others with four decimals), every name and value HTML-escaped. Long tables are cut after a row limit with a note saying how
 * many rows were left out, so a notebook never floods its output.
 */
public final class TableHtml {

    /** Rows shown when no limit is given. */
    public static final int DEFAULT_MAX_ROWS = 50;

    private TableHtml() {}

    /** The table as HTML, at most {@link #DEFAULT_MAX_ROWS} rows. */
    public static String of(Table table) {
        return of(table, DEFAULT_MAX_ROWS);
    }

    /** The table as HTML, at most {@code maxRows} rows (must be at least 1). */
    public static String of(Table table, int maxRows) {
        if (table == null) {
            throw new IllegalArgumentException("table must not be null");
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
        }
        StringBuilder html = new StringBuilder("<table class=\"icmlora-table\">");
        if (table.name() != null && !table.name().isBlank()) {
            html.append("<caption>").append(HtmlEscape.escape(table.name())).append("</caption>");
        }
        html.append("<thead><tr>");
        for (Column<?> column : table.columns()) {
            html.append("<th>").append(HtmlEscape.escape(column.name())).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        int shown = Math.min(maxRows, table.rowCount());
        for (int row = 0; row < shown; row++) {
            html.append("<tr>");
            for (Column<?> column : table.columns()) {
                html.append(column instanceof NumericColumn ? "<td style=\"text-align:right\">" : "<td>")
                        .append(HtmlEscape.escape(cell(column, row)))
                        .append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table>");
        if (shown < table.rowCount()) {
            html.append("<p class=\"icmlora-table-note\">").append(shown).append(" of ").append(table.rowCount())
                    .append(" rows shown</p>");
        }
        return html.toString();
    }

    private static String cell(Column<?> column, int row) {
        if (column instanceof NumericColumn<?> numbers && !numbers.isMissing(row)) {
            double value = numbers.getDouble(row);
            return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                    : String.format(java.util.Locale.ROOT, "%.4f", value);
        }
        return column.getString(row);
    }
}
