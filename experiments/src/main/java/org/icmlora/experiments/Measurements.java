package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.icmlora.experiments.pipeline.PaperNames;
import org.icmlora.stats.Bootstrap;
import org.icmlora.stats.Interval;
import org.icmlora.stats.Summary;
import org.icmlora.tracks.Evaluation;
import org.icmlora.tracks.Metric;
import org.icmlora.tracks.Track;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What a table measured: for every row (a method, a depth, a condition) and task, one {@link Evaluation} per seed of
 * the run, kept item by item. From them: the table of means and standard deviations over seeds, and paired bootstrap
 * intervals for the difference between two rows ({@link Bootstrap}), per task and over all tasks.
 */
public final class Measurements {

    private final Track track;
    private final List<Metric> metrics;
    private final Map<String, Map<String, List<Evaluation>>> cells = new LinkedHashMap<>();

    /** Measurements of {@code track}'s tasks (the metrics are the track's). */
    public Measurements(Track track) {
        this.track = track;
        this.metrics = track.metrics();
    }

    /** Adds the next seed's evaluation of {@code row} on {@code task}. */
    public synchronized void add(String row, String task, Evaluation evaluation) {
        cells.computeIfAbsent(row, r -> new LinkedHashMap<>()).computeIfAbsent(task, t -> new ArrayList<>())
                .add(evaluation);
    }

    /** The rows, in the order they were first added. */
    public List<String> rows() {
        return List.copyOf(cells.keySet());
    }

    /** The tasks of {@code row}, in the order they were first added. */
    public List<String> tasks(String row) {
        return List.copyOf(row(row).keySet());
    }

    /** The metric's value under each seed for one cell. */
    public double[] values(String row, String task, String metric) {
        return evaluations(row, task).stream().mapToDouble(e -> e.metrics().get(metric)).toArray();
    }

    /** Mean and standard deviation over seeds of one cell. */
    public Summary summary(String row, String task, String metric) {
        return Summary.of(values(row, task, metric));
    }

    /** The paired difference {@code row - reference} on {@code task}, with its bootstrap interval. */
    public Interval difference(String row, String reference, String task, String metric, Bootstrap bootstrap) {
        return bootstrap.difference(List.of(evaluations(row, task)), List.of(evaluations(reference, task)), metric);
    }

    /** The paired difference {@code row - reference} averaged over every task of {@code row}, with its interval. */
    public Interval meanDifference(String row, String reference, String metric, Bootstrap bootstrap) {
        return meanDifference(row, reference, tasks(row), metric, bootstrap);
    }

    /** The paired difference {@code row - reference} averaged over {@code tasks}, with its interval. */
    public Interval meanDifference(String row, String reference, List<String> tasks, String metric,
            Bootstrap bootstrap) {
        List<List<Evaluation>> a = new ArrayList<>();
        List<List<Evaluation>> b = new ArrayList<>();
        for (String task : tasks) {
            a.add(evaluations(row, task));
            b.add(evaluations(reference, task));
        }
        return bootstrap.difference(a, b, metric);
    }

    /**
     * The long table: one line per row and task with the paper's task name, the kit's task, the number of seeds and,
     * per metric, the mean over seeds and its standard deviation ({@code <metric>} and {@code <metric> sd}).
     */
    public Table table(String title, String rowColumn, String taskColumn) {
        StringColumn rows = StringColumn.create(rowColumn);
        StringColumn paperTasks = StringColumn.create(taskColumn);
        StringColumn kitTasks = StringColumn.create("kit task");
        IntColumn seeds = IntColumn.create("seeds");
        List<DoubleColumn> values = new ArrayList<>();
        for (Metric metric : metrics) {
            values.add(DoubleColumn.create(metric.name()));
            values.add(DoubleColumn.create(metric.name() + " sd"));
        }
        cells.forEach((row, byTask) -> byTask.forEach((task, evaluations) -> {
            rows.append(row);
            paperTasks.append(PaperNames.of(track, task));
            kitTasks.append(task);
            seeds.append(evaluations.size());
            for (int m = 0; m < metrics.size(); m++) {
                Summary summary = summary(row, task, metrics.get(m).name());
                values.get(2 * m).append(summary.mean());
                values.get(2 * m + 1).append(summary.sd());
            }
        }));
        Table table = Table.create(title, rows, paperTasks, kitTasks, seeds);
        values.forEach(table::addColumns);
        return table;
    }

    /**
     * The wide table of one metric: one line per row, one column per task with the mean over seeds and one with its
     * standard deviation ({@code <paper name>} and {@code <paper name> sd}); {@code labels} turns a row's name into
     * the leading columns' values (e.g. "2|ICM-LoRA" into a rank and a method), named by {@code labelColumns}.
     */
    public Table wide(String title, String metric, List<String> labelColumns,
            java.util.function.Function<String, List<String>> labels) {
        List<StringColumn> leading = labelColumns.stream().map(StringColumn::create).toList();
        Map<String, DoubleColumn[]> byTask = new LinkedHashMap<>();
        for (String row : rows()) {
            for (String task : tasks(row)) {
                String name = PaperNames.of(track, task);
                byTask.computeIfAbsent(name, n -> new DoubleColumn[] {DoubleColumn.create(n),
                        DoubleColumn.create(n + " sd")});
            }
        }
        for (String row : rows()) {
            List<String> values = labels.apply(row);
            for (int c = 0; c < leading.size(); c++) {
                leading.get(c).append(values.get(c));
            }
            Map<String, String> tasksByName = new LinkedHashMap<>();
            tasks(row).forEach(task -> tasksByName.put(PaperNames.of(track, task), task));
            byTask.forEach((name, columns) -> {
                String task = tasksByName.get(name);
                Summary summary = task == null ? null : summary(row, task, metric);
                columns[0].append(summary == null ? Double.NaN : summary.mean());
                columns[1].append(summary == null ? Double.NaN : summary.sd());
            });
        }
        Table table = Table.create(title);
        leading.forEach(table::addColumns);
        byTask.values().forEach(columns -> table.addColumns(columns));
        return table;
    }

    /**
     * The differences of {@code rows} from {@code reference} on every task and on the mean over tasks (task "all"):
     * one line per row, task and metric with the estimate and its interval.
     */
    public Table differences(String title, List<String> rows, String reference, Bootstrap bootstrap) {
        StringColumn rowColumn = StringColumn.create("method");
        StringColumn referenceColumn = StringColumn.create("reference");
        StringColumn taskColumn = StringColumn.create("task");
        StringColumn metricColumn = StringColumn.create("metric");
        DoubleColumn estimate = DoubleColumn.create("difference");
        DoubleColumn low = DoubleColumn.create("low");
        DoubleColumn high = DoubleColumn.create("high");
        for (String row : rows) {
            List<String> tasks = new ArrayList<>(tasks(row));
            tasks.add("all");
            for (String task : tasks) {
                for (Metric metric : metrics) {
                    Interval d = task.equals("all") ? meanDifference(row, reference, metric.name(), bootstrap)
                            : difference(row, reference, task, metric.name(), bootstrap);
                    rowColumn.append(row);
                    referenceColumn.append(reference);
                    taskColumn.append(task.equals("all") ? "mean over tasks" : PaperNames.label(track, task));
                    metricColumn.append(metric.name());
                    estimate.append(d.estimate());
                    low.append(d.low());
                    high.append(d.high());
                }
            }
        }
        return Table.create(title, rowColumn, referenceColumn, taskColumn, metricColumn, estimate, low, high);
    }

    private Map<String, List<Evaluation>> row(String row) {
        Map<String, List<Evaluation>> byTask = cells.get(row);
        if (byTask == null) {
            throw new IllegalArgumentException("nothing measured for '" + row + "'; measured: " + cells.keySet());
        }
        return byTask;
    }

    private List<Evaluation> evaluations(String row, String task) {
        List<Evaluation> evaluations = row(row).get(task);
        if (evaluations == null) {
            throw new IllegalArgumentException("nothing measured for '" + row + "' on task '" + task + "'");
        }
        return evaluations;
    }
}
