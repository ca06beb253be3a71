package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.icmlora.experiments.charts.Charts;
import org.icmlora.experiments.pipeline.GeneratorStage;
import org.icmlora.experiments.pipeline.Method;
import org.icmlora.experiments.pipeline.MethodEvaluation;
import org.icmlora.experiments.pipeline.PaperNames;
import org.icmlora.experiments.pipeline.Tracks;
import org.icmlora.experiments.pipeline.TrainedGenerator;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.Metric;
import org.icmlora.tracks.Task;
import org.icmlora.tracks.Track;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Tables 1 and 2 of the paper: the five methods (Original LoRA, Original Model, Model Soup, COND P-DIFF, ICM-LoRA) on
 * every task of one track at the run's LoRA rank (the paper's 2), each generator fitted once on all tasks' adapter
 * series and asked for each task's adapter by its task vector (Eq. 1 hidden states of the fine-tuned model).
 */
public final class MethodTableExperiment implements Experiment {

    private final String id;
    private final String title;
    private final String track;
    private final Supplier<Table> paper;
    private final String taskColumn;

    /**
     * An experiment {@code id} over the tasks of the track {@code track}, compared with the paper table {@code paper},
     * whose task column is named {@code taskColumn} ("category" or "domain").
     */
    public MethodTableExperiment(String id, String title, String track, Supplier<Table> paper, String taskColumn) {
        this.id = id;
        this.title = title;
        this.track = track;
        this.paper = paper;
        this.taskColumn = taskColumn;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public ExperimentResult run(RunContext context) {
        Track tasks = Tracks.of(context, track);
        int rank = context.config().lora().rank();
        Map<Method, TrainedGenerator> generators = GeneratorStage.fitAll(context, tasks, rank,
                ConditionKind.FINE_TUNED_STATES);
        try {
            Table measured = measure(context, tasks, generators, rank);
            List<String> metrics = tasks.metrics().stream().map(Metric::name).toList();
            Table comparison = Comparison.of(title + ": measured vs paper", measured, paper.get(),
                    List.of("method", taskColumn), metrics);
            ExperimentResult result = new ExperimentResult(id, title, context, measured, comparison);
            for (String metric : metrics) {
                result.withFigure(metric, Charts.groupedBars(title + " - " + metric + " (measured)", measured,
                        taskColumn, "method", metric));
            }
            readings(tasks, measured).forEach(result::withNote);
            return result;
        } finally {
            generators.values().forEach(TrainedGenerator::close);
        }
    }

    private Table measure(RunContext context, Track tasks, Map<Method, TrainedGenerator> generators, int rank) {
        StringColumn methods = StringColumn.create("method");
        StringColumn paperTasks = StringColumn.create(taskColumn);
        StringColumn kitTasks = StringColumn.create("kit task");
        List<DoubleColumn> metrics = new ArrayList<>();
        tasks.metrics().forEach(m -> metrics.add(DoubleColumn.create(m.name())));
        for (Method method : Method.values()) {
            for (Task task : tasks.tasks()) {
                Map<String, Double> scores = MethodEvaluation.evaluate(context, tasks, method, task.id(), rank,
                        generators.get(method)).metrics();
                methods.append(method.paperName());
                paperTasks.append(PaperNames.of(tasks, task.id()));
                kitTasks.append(task.id());
                for (DoubleColumn column : metrics) {
                    column.append(scores.get(column.name()));
                }
            }
        }
        Table table = Table.create(title + " (measured)", methods, paperTasks, kitTasks);
        metrics.forEach(table::addColumns);
        return table;
    }

    /** Plain statements about the measured table: how far each method is from the fine-tuned adapters. */
    private List<String> readings(Track tasks, Table measured) {
        List<String> notes = new ArrayList<>();
        String metric = tasks.metrics().get(0).name();
        double reference = mean(measured, Method.ORIGINAL_LORA, metric);
        for (Method method : Method.values()) {
            if (method != Method.ORIGINAL_LORA) {
                double value = mean(measured, method, metric);
                notes.add(String.format(Locale.ROOT, "%s: mean %s %.4f over the %d tasks vs %.4f for the fine-tuned"
                        + " adapters (Original LoRA), difference %+.4f.", method.paperName(), metric, value,
                        tasks.tasks().size(), reference, value - reference));
            }
        }
        return notes;
    }

    private static double mean(Table measured, Method method, String metric) {
        return measured.where(measured.stringColumn("method").isEqualTo(method.paperName())).doubleColumn(metric)
                .mean();
    }
}
