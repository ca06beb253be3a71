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
import org.icmlora.experiments.pipeline.Tracks;
import org.icmlora.experiments.pipeline.TrainedGenerator;
import org.icmlora.stats.Bootstrap;
import org.icmlora.stats.Interval;
import org.icmlora.stats.Readings;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.Metric;
import org.icmlora.tracks.Task;
import org.icmlora.tracks.Track;
import tech.tablesaw.api.Table;

/**
 * Tables 1 and 2 of the paper: the five methods (Original LoRA, Original Model, Model Soup, COND P-DIFF, ICM-LoRA) and
 * the kit's lookup control Task-mean LoRA on every task of one track at the run's LoRA rank (the paper's 2), each
 * generator fitted on all tasks' adapter series and asked for each task's adapter by its task vector (Eq. 1 hidden
 * states of the fine-tuned model). Every cell is
 * measured under each seed of the run (mean ± sd); every method's difference from Original LoRA, and every generator's
 * from Original Model, comes with a paired bootstrap interval over test items and seeds, per task and over all tasks.
 * Beside them the baselines' ceilings ({@link BaselineCeilings}: the soups untruncated, COND P-DIFF's autoencoder
 * round trip) and what every model cost to train ({@link TrainingDiagnostics}: budget table and loss curves).
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

    /** Every seed's generating methods on the track, seed by seed. */
    @Override
    public List<GeneratorStage.Request> fits(RunContext context) {
        return GeneratorStage.requests(context.perSeed(), track, context.config().lora().rank(),
                ConditionKind.FINE_TUNED_STATES);
    }

    @Override
    public ExperimentResult run(RunContext context) {
        int rank = context.config().lora().rank();
        List<RunContext> seeds = context.perSeed();
        Track tasks = Tracks.of(context, track);
        Measurements measured = new Measurements(tasks);
        TrainingDiagnostics diagnostics = new TrainingDiagnostics(title, true);
        Table truncation = null;
        String budget;
        List<Map<Method, TrainedGenerator>> fitted = GeneratorStage.fitAll(seeds, track, rank,
                ConditionKind.FINE_TUNED_STATES);
        try {
            Cells cells = new Cells();
            for (int s = 0; s < seeds.size(); s++) {
                RunContext seed = seeds.get(s);
                Track seedTrack = Tracks.of(seed, track);
                Map<Method, TrainedGenerator> generators = fitted.get(s);
                for (Method method : Method.values()) {
                    for (Task task : seedTrack.tasks()) {
                        cells.add(method.paperName(), task.id(), MethodEvaluation.Request.of(seed, seedTrack, method,
                                task.id(), rank, generators.get(method)));
                    }
                }
                for (Task task : seedTrack.tasks()) {
                    BaselineCeilings.requests(seed, seedTrack, task.id(), rank, generators)
                            .forEach((row, request) -> cells.add(row, task.id(), request));
                }
                diagnostics.addGenerators(seed.seed(), rank, generators);
                diagnostics.addTrack(seed.seed(), seedTrack, rank);
                Table errors = BaselineCeilings.truncationErrors(seed.seed(), generators);
                truncation = truncation == null ? errors : truncation.append(errors);
            }
            budget = BaselineCeilings.budgetNote(fitted.get(0));
            cells.evaluateInto(measured);
        } finally {
            fitted.forEach(bySeed -> bySeed.values().forEach(TrainedGenerator::close));
        }
        Table table = measured.table(title + " (measured, mean over seeds)", "method", taskColumn);
        List<String> metrics = tasks.metrics().stream().map(Metric::name).toList();
        Table comparison = Comparison.of(title + ": measured vs paper", table, paper.get(),
                List.of("method", taskColumn), metrics);
        ExperimentResult result = new ExperimentResult(id, title, context, table, comparison);
        Bootstrap bootstrap = context.bootstrap();
        List<String> others = measured.rows().stream().filter(row -> !row.equals(Method.ORIGINAL_LORA.paperName()))
                .toList();
        Table differences = measured.differences(title + ": differences from Original LoRA", others,
                Method.ORIGINAL_LORA.paperName(), bootstrap);
        List<String> generators = Method.generators().stream().map(Method::paperName).toList();
        differences.append(measured.differences(title + ": differences from Original Model", generators,
                Method.ORIGINAL_MODEL.paperName(), bootstrap));
        result.withTable("differences", differences);
        result.withTable("truncation", truncation);
        diagnostics.addTo(result);
        Table methodsOnly = table.where(table.stringColumn("method").isNotIn(BaselineCeilings.labels()));
        for (String metric : metrics) {
            result.withFigure(metric, Charts.groupedBarsWithErrors(title + " - " + metric + " (mean ± sd over "
                    + context.config().run().seeds() + " seeds)", methodsOnly, taskColumn, "method", metric,
                    metric + " sd"));
        }
        readings(tasks, measured, bootstrap).forEach(result::withNote);
        BaselineCeilings.readings(measured, tasks.metrics().get(0), truncation, budget, bootstrap)
                .forEach(result::withNote);
        return result;
    }

    /**
     * What the table says, from the intervals: each method against the fine-tuned adapters over all tasks, and against
     * the paper's difference of the same comparison.
     */
    private List<String> readings(Track tasks, Measurements measured, Bootstrap bootstrap) {
        List<String> notes = new ArrayList<>();
        Metric metric = tasks.metrics().get(0);
        Table paperTable = paper.get();
        String reference = Method.ORIGINAL_LORA.paperName();
        for (Method method : Method.values()) {
            if (method == Method.ORIGINAL_LORA) {
                continue;
            }
            Interval d = measured.meanDifference(method.paperName(), reference, metric.name(), bootstrap);
            double paperDifference = paperMean(paperTable, method.paperName(), metric.name())
                    - paperMean(paperTable, reference, metric.name());
            notes.add(Readings.difference(method.paperName(), reference, metric.name() + " (mean over the "
                    + tasks.tasks().size() + " tasks)", d, metric.higherIsBetter(), 3) + (Double.isNaN(paperDifference)
                    ? " The paper has no such row." : " " + Readings.againstPaperSentence(d, paperDifference, 3)));
        }
        notes.add(String.format(Locale.ROOT, "Every cell is the mean over %d seeds (sd beside it); intervals are %d %%"
                + " paired bootstrap intervals over test items and seeds (differences.csv).",
                measured.summary(reference, tasks.tasks().get(0).id(), metric.name()).n(),
                Math.round(100 * bootstrap.level())));
        return notes;
    }

    private static double paperMean(Table paper, String method, String metric) {
        return paper.where(paper.stringColumn("method").isEqualTo(method)).doubleColumn(metric).mean();
    }
}
