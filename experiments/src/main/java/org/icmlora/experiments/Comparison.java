package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Puts measured numbers beside the paper's: one row per paper row, matched on key columns, and for every value column
 * the columns {@code <value> measured}, {@code <value> sd} (the spread over seeds, when the measured table has a
 * {@code <value> sd} column), {@code <value> paper} and {@code <value> difference} (measured - paper). A paper row
 * the kit did not measure shows an empty measured cell, never a made-up one; a measured row the paper does not have
 * (the kit's controls, such as Task-mean LoRA) follows the paper's rows with empty paper cells.
 */
public final class Comparison {

    private Comparison() {}

    /** Compares {@code measured} with {@code paper} on {@code keys} for the numeric columns {@code values}. */
    public static Table of(String title, Table measured, Table paper, List<String> keys, List<String> values) {
        Map<String, Integer> measuredByKey = new HashMap<>();
        for (Row row : measured) { // Tablesaw's Row is a moving cursor: keep row numbers, not rows
            measuredByKey.put(keyOf(row, keys), row.getRowNumber());
        }
        List<StringColumn> keyColumns = new ArrayList<>();
        keys.forEach(k -> keyColumns.add(StringColumn.create(k)));
        List<DoubleColumn> valueColumns = new ArrayList<>();
        for (String v : values) {
            valueColumns.add(DoubleColumn.create(v + " measured"));
            valueColumns.add(DoubleColumn.create(v + " sd"));
            valueColumns.add(DoubleColumn.create(v + " paper"));
            valueColumns.add(DoubleColumn.create(v + " difference"));
        }
        Set<String> paperKeys = new HashSet<>();
        for (Row paperRow : paper) {
            String key = keyOf(paperRow, keys);
            paperKeys.add(key);
            for (int i = 0; i < keys.size(); i++) {
                keyColumns.get(i).append(text(paperRow, keys.get(i)));
            }
            Integer mine = measuredByKey.get(key);
            for (int i = 0; i < values.size(); i++) {
                appendRow(valueColumns, i, measured, values.get(i), mine, paperRow.getNumber(values.get(i)));
            }
        }
        for (Row row : measured) {
            if (!paperKeys.contains(keyOf(row, keys))) {
                for (int i = 0; i < keys.size(); i++) {
                    keyColumns.get(i).append(text(row, keys.get(i)));
                }
                for (int i = 0; i < values.size(); i++) {
                    appendRow(valueColumns, i, measured, values.get(i), row.getRowNumber(), Double.NaN);
                }
            }
        }
        Table table = Table.create(title);
        keyColumns.forEach(table::addColumns);
        valueColumns.forEach(table::addColumns);
        return table;
    }

    /** The four columns of value {@code i} for measured row {@code mine} (null: not measured). */
    private static void appendRow(List<DoubleColumn> columns, int i, Table measured, String value, Integer mine,
            double paperValue) {
        double measuredValue = mine == null ? Double.NaN : number(measured, value, mine);
        double sd = mine == null || !measured.containsColumn(value + " sd") ? Double.NaN
                : number(measured, value + " sd", mine);
        columns.get(4 * i).append(measuredValue);
        columns.get(4 * i + 1).append(sd);
        columns.get(4 * i + 2).append(paperValue);
        columns.get(4 * i + 3).append(measuredValue - paperValue);
    }

    private static double number(Table table, String column, int row) {
        return ((Number) table.column(column).get(row)).doubleValue();
    }

    private static String keyOf(Row row, List<String> keys) {
        StringBuilder key = new StringBuilder();
        keys.forEach(k -> key.append(text(row, k)).append('\u0000'));
        return key.toString();
    }

    /** A cell as text; whole numbers without a decimal point, so 2.0 (paper) and 2 (measured) match. */
    static String text(Row row, String column) {
        Object value = row.getObject(column);
        if (value instanceof Number number) {
            double d = number.doubleValue();
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
        return String.valueOf(value);
    }
}
