package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Puts measured numbers beside the paper's: one row per paper row, matched on key columns, and for every value column
 * the columns {@code <value> measured}, {@code <value> sd} (the spread over seeds, when the measured table has a
 * {@code <value> sd} column), {@code <value> paper} and {@code <value> difference} (measured - paper). A paper row
 * the kit did not measure shows an empty measured cell, never a made-up one.
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
        for (Row paperRow : paper) {
            String key = keyOf(paperRow, keys);
            for (int i = 0; i < keys.size(); i++) {
                keyColumns.get(i).append(text(paperRow, keys.get(i)));
            }
            Integer mine = measuredByKey.get(key);
            for (int i = 0; i < values.size(); i++) {
                String v = values.get(i);
                double paperValue = paperRow.getNumber(v);
                double measuredValue = mine == null ? Double.NaN : ((Number) measured.column(v).get(mine)).doubleValue();
                double sd = mine == null || !measured.containsColumn(v + " sd") ? Double.NaN
                        : ((Number) measured.column(v + " sd").get(mine)).doubleValue();
                valueColumns.get(4 * i).append(measuredValue);
                valueColumns.get(4 * i + 1).append(sd);
                valueColumns.get(4 * i + 2).append(paperValue);
                valueColumns.get(4 * i + 3).append(measuredValue - paperValue);
            }
        }
        Table table = Table.create(title);
        keyColumns.forEach(table::addColumns);
        valueColumns.forEach(table::addColumns);
        return table;
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
