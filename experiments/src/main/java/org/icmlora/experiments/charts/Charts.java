package org.icmlora.experiments.charts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.HeatmapTrace;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

/** The few chart shapes the paper's tables need, built from long-format Tablesaw tables. */
public final class Charts {

    private Charts() {}

    /**
     * Grouped bars: one group per distinct value of {@code xColumn} (in first-seen order), one bar colour per value of
     * {@code seriesColumn}, bar height from {@code valueColumn}. Missing cells are drawn as gaps.
     */
    public static Figure groupedBars(String title, Table table, String xColumn, String seriesColumn,
            String valueColumn) {
        List<String> groups = distinct(table, xColumn);
        List<Trace> traces = new ArrayList<>();
        for (String series : distinct(table, seriesColumn)) {
            double[] heights = new double[groups.size()];
            java.util.Arrays.fill(heights, Double.NaN);
            for (Row row : table) {
                if (text(row, seriesColumn).equals(series)) {
                    heights[groups.indexOf(text(row, xColumn))] = row.getNumber(valueColumn);
                }
            }
            traces.add(BarTrace.builder(groups.toArray(), heights).name(series).showLegend(true).build());
        }
        Layout layout = Layout.builder().title(title).barMode(Layout.BarMode.GROUP).height(420)
                .xAxis(Axis.builder().title(xColumn).build()).yAxis(Axis.builder().title(valueColumn).build()).build();
        return new Figure(layout, traces.toArray(Trace[]::new));
    }

    /**
     * Grouped bars with error bars: as {@link #groupedBars}, each bar's height from {@code valueColumn} and its error
     * bar from {@code errorColumn} (symmetric: a standard deviation over seeds).
     */
    public static Figure groupedBarsWithErrors(String title, Table table, String xColumn, String seriesColumn,
            String valueColumn, String errorColumn) {
        return groupedBarsWithErrors(title, table, xColumn, seriesColumn, valueColumn, errorColumn, errorColumn);
    }

    /**
     * Grouped bars whose error bars reach from {@code value - below} to {@code value + above}, read from the columns
     * {@code belowColumn} and {@code aboveColumn} (for an interval: estimate - low and high - estimate).
     */
    public static Figure groupedBarsWithErrors(String title, Table table, String xColumn, String seriesColumn,
            String valueColumn, String belowColumn, String aboveColumn) {
        List<String> groups = distinct(table, xColumn);
        List<Trace> traces = new ArrayList<>();
        for (String series : distinct(table, seriesColumn)) {
            double[] heights = new double[groups.size()];
            double[] below = new double[groups.size()];
            double[] above = new double[groups.size()];
            java.util.Arrays.fill(heights, Double.NaN);
            for (Row row : table) {
                if (text(row, seriesColumn).equals(series)) {
                    int g = groups.indexOf(text(row, xColumn));
                    heights[g] = row.getNumber(valueColumn);
                    below[g] = row.getNumber(belowColumn);
                    above[g] = row.getNumber(aboveColumn);
                }
            }
            traces.add(new BarsWithErrors(series, groups.toArray(), heights, above, below));
        }
        Layout layout = Layout.builder().title(title).barMode(Layout.BarMode.GROUP).height(420)
                .xAxis(Axis.builder().title(xColumn).build()).yAxis(Axis.builder().title(valueColumn).build()).build();
        return new Figure(layout, traces.toArray(Trace[]::new));
    }

    /** A heatmap with rows {@code rowLabels}, columns {@code columnLabels} and cell values {@code values[row][col]}. */
    public static Figure heatmap(String title, List<String> rowLabels, List<String> columnLabels, double[][] values,
            String rowTitle, String columnTitle) {
        Layout layout = Layout.builder().title(title).height(420)
                .xAxis(Axis.builder().title(columnTitle).build()).yAxis(Axis.builder().title(rowTitle).build()).build();
        return new Figure(layout, HeatmapTrace.builder(columnLabels.toArray(), rowLabels.toArray(), values).build());
    }

    /**
     * Lines: one per entry of {@code series} (name to y values at x = 1, 2, ...), for loss curves; {@code logY} draws
     * the y axis on a log scale.
     */
    public static Figure lines(String title, Map<String, double[]> series, String xTitle, String yTitle,
            boolean logY) {
        List<Trace> traces = new ArrayList<>();
        series.forEach((name, values) -> {
            double[] x = new double[values.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
            }
            traces.add(ScatterTrace.builder(x, values).mode(ScatterTrace.Mode.LINE).name(name).showLegend(true)
                    .build());
        });
        Axis.AxisBuilder y = Axis.builder().title(yTitle);
        if (logY) {
            y.type(Axis.Type.LOG);
        }
        Layout layout = Layout.builder().title(title).height(420).xAxis(Axis.builder().title(xTitle).build())
                .yAxis(y.build()).build();
        return new Figure(layout, traces.toArray(Trace[]::new));
    }

    /**
     * A scatter of one point per row at ({@code xColumn}, {@code yColumn}), one colour per value of
     * {@code groupColumn}, each point written with its {@code labelColumn} text.
     */
    public static Figure labelledPoints(String title, Table table, String xColumn, String yColumn,
            String groupColumn, String labelColumn) {
        List<Trace> traces = new ArrayList<>();
        for (String group : distinct(table, groupColumn)) {
            Table rows = table.where(table.stringColumn(groupColumn).isEqualTo(group));
            traces.add(ScatterTrace.builder(rows.numberColumn(xColumn).asDoubleArray(),
                    rows.numberColumn(yColumn).asDoubleArray()).mode(ScatterTrace.Mode.TEXT_AND_MARKERS)
                    .text(rows.stringColumn(labelColumn).asObjectArray()).name(group).showLegend(true).build());
        }
        Layout layout = Layout.builder().title(title).height(480).xAxis(Axis.builder().title(xColumn).build())
                .yAxis(Axis.builder().title(yColumn).build()).build();
        return new Figure(layout, traces.toArray(Trace[]::new));
    }

    private static List<String> distinct(Table table, String column) {
        LinkedHashSet<String> values = new LinkedHashSet<>();
        for (Row row : table) {
            values.add(text(row, column));
        }
        return new ArrayList<>(values);
    }

    private static String text(Row row, String column) {
        return String.valueOf(row.getObject(column));
    }
}
