package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.icmlora.engine.Seeds;
import org.icmlora.experiments.charts.Charts;
import org.icmlora.experiments.heldout.NearestTask;
import org.icmlora.experiments.heldout.RecoveredShare;
import org.icmlora.experiments.heldout.TaskFolds;
import org.icmlora.experiments.pipeline.GeneratorStage;
import org.icmlora.experiments.pipeline.Method;
import org.icmlora.experiments.pipeline.MethodEvaluation;
import org.icmlora.experiments.pipeline.Tracks;
import org.icmlora.experiments.pipeline.TrainedGenerator;
import org.icmlora.generate.core.SoupConfig;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.Evaluation;
import org.icmlora.tracks.Metric;
import org.icmlora.tracks.Task;
import org.icmlora.tracks.Track;
import smile.manifold.TSNE;
import smile.math.MathEx;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/**
 * Held-out tasks, which the paper never measures: can a generator write a useful adapter for a task it was never
 * trained on, from a condition that exists before the task is fine-tuned (its description, or the base model's hidden
 * states on its validation samples)?
 *
 * <p>On each track, the held-out tasks ({@code heldout.<track>Tasks}) are split into k folds fixed by their order
 * ({@link TaskFolds}). In a fold, Model Soup, COND P-DIFF and ICM-LoRA are fitted on the adapter series of every other
 * task of the track (table and extra tasks) and nothing of the held-out ones, then asked for each held-out task's
 * adapter from its condition. Rows: the base model without adapter, the soup of the training tasks, the adapter of
 * the training task whose condition is nearest (cosine), the two generators, and the held-out task's own fine-tuned
 * adapter as the oracle. Each is scored on the held-out task's test split, in every seed of the run; the share of the
 * oracle's gain a method recovers, (method - base) / (oracle - base), is reported per task and over the held-out
 * tasks (summed gains), with a bootstrap interval over tasks ({@link RecoveredShare}). Nothing here is tuned: tasks,
 * folds and conditions are set in the profile files before the run.
 */
public final class HeldOutExperiment implements Experiment {

    /**
     * The metric of each track that the plots and readings use: mAP50, and BPC, a log-loss, so its share is a share
     * of the information fine-tuning adds (PPL's exponential would bend it). The tables have every metric.
     */
    private static final Map<String, String> HEADLINE = Map.of("detection", "map50", "language", "bpc");
    private static final String NO_CONDITION = "none";

    /** The rows of the held-out table, in order. */
    enum Row {
        ORIGINAL_MODEL("Original Model"),
        MODEL_SOUP("Model Soup of the training tasks"),
        NEAREST_TASK("Nearest training task"),
        COND_P_DIFF("COND P-DIFF"),
        ICM_LORA("ICM-LoRA"),
        ORACLE("Oracle: own fine-tuned LoRA");

        private final String label;

        Row(String label) {
            this.label = label;
        }

        /** The row for a generating method. */
        static Row of(Method method) {
            return switch (method) {
                case MODEL_SOUP -> MODEL_SOUP;
                case COND_P_DIFF -> COND_P_DIFF;
                case ICM_LORA -> ICM_LORA;
                default -> throw new IllegalArgumentException(method + " is not a generating method");
            };
        }
    }

    /** One evaluation: a row on a held-out task in one seed ({@code nearest}: the nearest-task row's choice). */
    private record Score(int fold, String task, Row row, String condition, String nearest,
            Map<String, Double> metrics) {}

    /** A (task, row, condition) cell with every seed's metrics ({@code nearest}: each seed's distinct choice). */
    private record Cell(int fold, String task, Row row, String condition, String nearest,
            List<Map<String, Double>> seeds) {

        double mean(String metric) {
            return seeds.stream().mapToDouble(m -> m.get(metric)).average().orElseThrow();
        }

        double sd(String metric) {
            if (seeds.size() < 2) {
                return Double.NaN;
            }
            double mean = mean(metric);
            return Math.sqrt(seeds.stream().mapToDouble(m -> (m.get(metric) - mean) * (m.get(metric) - mean)).sum()
                    / (seeds.size() - 1));
        }
    }

    @Override
    public String id() {
        return "heldout";
    }

    @Override
    public String title() {
        return "Held-out tasks: generated adapters for tasks the generators never saw";
    }

    @Override
    public ExperimentResult run(RunContext context) {
        Table perTask = null;
        Table summary = null;
        Map<String, TrackResult> results = new LinkedHashMap<>();
        for (String trackId : Tracks.IDS) {
            TrackResult result = measure(context, trackId);
            results.put(trackId, result);
            perTask = perTask == null ? result.perTask() : perTask.append(result.perTask());
            summary = summary == null ? result.summary() : summary.append(result.summary());
        }
        perTask.setName(title() + ": per held-out task (measured)");
        summary.setName(title() + ": share of the oracle's gain recovered over the held-out tasks (measured; the"
                + " paper reports no held-out tasks)");
        ExperimentResult result = new ExperimentResult(id(), title(), context, perTask, summary);
        results.forEach((trackId, r) -> {
            String metric = HEADLINE.get(trackId);
            result.withFigure(trackId + "-share-per-task", Charts.groupedBars(trackId + ": share of the oracle's "
                    + metric + " gain recovered, per held-out task", shareBars(r.perTask(), metric), "held-out task",
                    "method", "share"));
            result.withFigure(trackId + "-share", shareIntervals(trackId, r.summary(), metric));
            result.withFigure(trackId + "-conditions", r.conditionMap());
            r.notes().forEach(result::withNote);
        });
        return result;
    }

    /** What one track contributes. */
    private record TrackResult(Table perTask, Table summary, Figure conditionMap, List<String> notes) {}

    // ---- measuring ------------------------------------------------------------------------------------------------

    private TrackResult measure(RunContext context, String trackId) {
        Track track = Tracks.of(context, trackId);
        List<TaskFolds.Fold> folds = folds(context, track);
        List<Score> scores = new ArrayList<>();
        for (RunContext run : seeds(context)) {
            Track seeded = Tracks.of(run, trackId);
            for (TaskFolds.Fold fold : folds) {
                scores.addAll(measureFold(run, seeded, fold));
            }
        }
        List<Cell> cells = cells(scores);
        Table perTask = perTaskTable(track, cells);
        Table summary = summaryTable(context, track, cells);
        ConditionKind mapped = context.config().heldout().conditions().get(0);
        return new TrackResult(perTask, summary, conditionMap(context, track, folds, mapped),
                notes(context, track, folds, cells));
    }

    /** The run's seeds, each as its own context. */
    private static List<RunContext> seeds(RunContext context) {
        return List.of(context);
    }

    /** Every row of the held-out table on the tasks {@code fold} holds out, in one seed. */
    private static List<Score> measureFold(RunContext run, Track track, TaskFolds.Fold fold) {
        int rank = run.config().lora().rank();
        List<ConditionKind> conditions = run.config().heldout().conditions();
        List<Score> scores = new ArrayList<>();
        for (String task : fold.heldOut()) {
            scores.add(score(fold, task, Row.ORIGINAL_MODEL, NO_CONDITION, "",
                    MethodEvaluation.evaluate(run, track, Method.ORIGINAL_MODEL, task, rank, null)));
            scores.add(score(fold, task, Row.ORACLE, NO_CONDITION, "",
                    MethodEvaluation.evaluate(run, track, Method.ORIGINAL_LORA, task, rank, null)));
        }
        for (ConditionKind condition : conditions) {
            Map<Method, TrainedGenerator> generators = fitFold(run, track, fold, condition);
            try {
                for (String task : fold.heldOut()) {
                    float[] own = track.taskVectors().of(task, condition);
                    NearestTask.Match nearest = NearestTask.byCosine(own,
                            generators.get(Method.ICM_LORA).conditions());
                    scores.add(score(fold, task, Row.NEAREST_TASK, name(condition), String.format(Locale.ROOT,
                            "%s (cosine %.3f)", nearest.task(), nearest.similarity()), MethodEvaluation.evaluate(run,
                            track, task, Row.NEAREST_TASK.name(), rank, track.adaptersKey(nearest.task(), rank),
                            () -> Optional.of(track.adapters(nearest.task(), rank).last()))));
                    for (Method method : Method.generators()) {
                        boolean conditionFree = method == Method.MODEL_SOUP;
                        if (conditionFree && condition != conditions.get(0)) {
                            continue; // the same soup as under the first condition
                        }
                        TrainedGenerator generator = generators.get(method);
                        scores.add(score(fold, task, Row.of(method), conditionFree ? NO_CONDITION
                                : name(condition), "", MethodEvaluation.evaluate(run, track, task, method.name(),
                                rank, generator.key(), () -> Optional.of(generator.generate(own, run.seed())))));
                    }
                }
            } finally {
                generators.values().forEach(TrainedGenerator::close);
            }
        }
        return scores;
    }

    /**
     * The generating methods of {@code fold}, fitted on its training tasks only: COND P-DIFF and ICM-LoRA conditioned
     * on {@code condition}, and the uniform Model Soup of every training task's checkpoints (the paper's soup, so
     * condition-free whatever {@code soup.scope} says; fitted once per fold, under the run's first held-out
     * condition). None of them has seen a held-out task's adapters or condition (checked). Close them.
     */
    public static Map<Method, TrainedGenerator> fitFold(RunContext run, Track track, TaskFolds.Fold fold,
            ConditionKind condition) {
        KitConfig config = run.config();
        int rank = config.lora().rank();
        Map<Method, TrainedGenerator> generators = new EnumMap<>(Method.class);
        try {
            generators.put(Method.MODEL_SOUP, GeneratorStage.fit(run, track, new SoupConfig(
                    SoupConfig.Scope.ALL_TASKS, config.soup().averaging()), rank,
                    config.heldout().conditions().get(0), fold.training()));
            for (Method method : List.of(Method.COND_P_DIFF, Method.ICM_LORA)) {
                generators.put(method, GeneratorStage.fit(run, track, method.generator(config), rank, condition,
                        fold.training()));
            }
            generators.forEach((method, generator) -> fold.heldOut().forEach(task -> {
                if (generator.conditions().containsKey(task)) {
                    throw new IllegalStateException(method.paperName() + " of fold " + (fold.index() + 1)
                            + " was fitted on the held-out task " + task);
                }
            }));
        } catch (RuntimeException e) {
            generators.values().forEach(TrainedGenerator::close);
            throw e;
        }
        return generators;
    }

    /** The folds of {@code track} under the run's held-out settings. */
    public static List<TaskFolds.Fold> folds(RunContext context, Track track) {
        return TaskFolds.of(track.allTasks().stream().map(Task::id).toList(),
                context.config().heldout().tasks(track.id()), context.config().heldout().folds());
    }

    private static Score score(TaskFolds.Fold fold, String task, Row row, String condition, String nearest,
            Evaluation evaluation) {
        return new Score(fold.index(), task, row, condition, nearest, evaluation.metrics());
    }

    /** The scores grouped by task, row and condition, in task then row order. */
    private static List<Cell> cells(List<Score> scores) {
        Map<List<Object>, List<Score>> grouped = new LinkedHashMap<>();
        scores.forEach(score -> grouped.computeIfAbsent(List.of(score.task(), score.row(), score.condition()),
                k -> new ArrayList<>()).add(score));
        List<String> taskOrder = scores.stream().map(Score::task).distinct().toList();
        return grouped.values().stream().map(seeds -> {
            Score first = seeds.get(0);
            return new Cell(first.fold(), first.task(), first.row(), first.condition(), String.join("; ",
                    seeds.stream().map(Score::nearest).distinct().toList()), seeds.stream().map(Score::metrics)
                    .toList());
        }).sorted(Comparator.comparing((Cell c) -> taskOrder.indexOf(c.task())).thenComparing(Cell::row)
                .thenComparing(Cell::condition)).toList();
    }

    private static String name(ConditionKind condition) {
        return condition.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    // ---- tables ---------------------------------------------------------------------------------------------------

    /** The share of the oracle's gain {@code cell} recovers on {@code metric}, from means over seeds. */
    private static double taskShare(List<Cell> cells, Cell cell, Metric metric) {
        return RecoveredShare.of(cell.mean(metric.name()), find(cells, cell.task(), Row.ORIGINAL_MODEL,
                NO_CONDITION).mean(metric.name()), find(cells, cell.task(), Row.ORACLE, NO_CONDITION)
                .mean(metric.name()), metric.higherIsBetter());
    }

    private static Cell find(List<Cell> cells, String task, Row row, String condition) {
        return cells.stream().filter(c -> c.task().equals(task) && c.row() == row
                && c.condition().equals(condition)).findFirst().orElseThrow();
    }

    private static Table perTaskTable(Track track, List<Cell> cells) {
        Table table = Table.create("per task", StringColumn.create("track"), StringColumn.create("held-out task"),
                IntColumn.create("fold"), StringColumn.create("method"), StringColumn.create("condition"),
                StringColumn.create("nearest task"), StringColumn.create("metric"), DoubleColumn.create("mean"),
                DoubleColumn.create("sd over seeds"), IntColumn.create("seeds"), DoubleColumn.create("share"));
        for (Metric metric : track.metrics()) {
            for (Cell cell : cells) {
                table.stringColumn("track").append(track.id());
                table.stringColumn("held-out task").append(cell.task());
                table.intColumn("fold").append(cell.fold() + 1);
                table.stringColumn("method").append(cell.row().label);
                table.stringColumn("condition").append(cell.condition());
                table.stringColumn("nearest task").append(cell.nearest());
                table.stringColumn("metric").append(metric.name());
                table.doubleColumn("mean").append(cell.mean(metric.name()));
                table.doubleColumn("sd over seeds").append(cell.sd(metric.name()));
                table.intColumn("seeds").append(cell.seeds().size());
                table.doubleColumn("share").append(taskShare(cells, cell, metric));
            }
        }
        return table;
    }

    /**
     * Per metric, row and condition: the mean value over held-out tasks and the share of the oracle's gain recovered
     * over them, with its bootstrap interval over tasks.
     */
    private static Table summaryTable(RunContext context, Track track, List<Cell> cells) {
        Table table = Table.create("summary", StringColumn.create("track"), StringColumn.create("metric"),
                StringColumn.create("method"), StringColumn.create("condition"), DoubleColumn.create("mean value"),
                DoubleColumn.create("share"), DoubleColumn.create("share 95% low"),
                DoubleColumn.create("share 95% high"), IntColumn.create("tasks"));
        for (Metric metric : track.metrics()) {
            for (List<Object> group : groups(cells)) {
                Row row = (Row) group.get(0);
                String condition = (String) group.get(1);
                RecoveredShare.Interval share = share(context, track, cells, metric, row, condition);
                table.stringColumn("track").append(track.id());
                table.stringColumn("metric").append(metric.name());
                table.stringColumn("method").append(row.label);
                table.stringColumn("condition").append(condition);
                table.doubleColumn("mean value").append(Arrays.stream(values(cells, row, condition, metric))
                        .average().orElseThrow());
                table.doubleColumn("share").append(share.estimate());
                table.doubleColumn("share 95% low").append(share.low());
                table.doubleColumn("share 95% high").append(share.high());
                table.intColumn("tasks").append(share.tasks());
            }
        }
        return table;
    }

    /** The share of the oracle's {@code metric} gain {@code row} recovers over the held-out tasks. */
    private static RecoveredShare.Interval share(RunContext context, Track track, List<Cell> cells, Metric metric,
            Row row, String condition) {
        return RecoveredShare.overTasks(values(cells, row, condition, metric),
                values(cells, Row.ORIGINAL_MODEL, NO_CONDITION, metric), values(cells, Row.ORACLE, NO_CONDITION,
                        metric), metric.higherIsBetter(), bootstrapSeed(context, track, metric, row + condition));
    }

    /** The seed-mean {@code metric} of {@code row} on every held-out task, in task order. */
    private static double[] values(List<Cell> cells, Row row, String condition, Metric metric) {
        return heldOutTasks(cells).stream().mapToDouble(task -> find(cells, task, row, condition)
                .mean(metric.name())).toArray();
    }

    private static List<String> heldOutTasks(List<Cell> cells) {
        return cells.stream().map(Cell::task).distinct().toList();
    }

    /** The distinct (row, condition) pairs in row order. */
    private static List<List<Object>> groups(List<Cell> cells) {
        return cells.stream().map(c -> List.<Object>of(c.row(), c.condition())).distinct()
                .sorted(Comparator.comparing((List<Object> g) -> (Row) g.get(0))
                        .thenComparing(g -> (String) g.get(1))).toList();
    }

    private static long bootstrapSeed(RunContext context, Track track, Metric metric, String what) {
        return Seeds.derive(context.seed(), "heldout-bootstrap/" + track.id() + "/" + metric.name() + "/" + what);
    }

    // ---- figures --------------------------------------------------------------------------------------------------

    /** The share of the headline metric per task for the rows that can fall anywhere (not the base and the oracle). */
    private static Table shareBars(Table perTask, String metric) {
        Table rows = perTask.where(perTask.stringColumn("metric").isEqualTo(metric)
                .and(perTask.stringColumn("method").isNotIn(Row.ORIGINAL_MODEL.label, Row.ORACLE.label)));
        StringColumn method = StringColumn.create("method");
        for (int i = 0; i < rows.rowCount(); i++) {
            method.append(rows.stringColumn("method").get(i) + " (" + rows.stringColumn("condition").get(i) + ")");
        }
        return Table.create("bars", rows.stringColumn("held-out task").copy(), method,
                rows.doubleColumn("share").copy());
    }

    private static Figure shareIntervals(String trackId, Table summary,
            String metric) {
        Table rows = summary.where(summary.stringColumn("metric").isEqualTo(metric));
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < rows.rowCount(); i++) {
            labels.add(rows.stringColumn("method").get(i) + (rows.stringColumn("condition").get(i)
                    .equals(NO_CONDITION) ? "" : " (" + rows.stringColumn("condition").get(i) + ")"));
        }
        return Charts.intervals(trackId + ": mean share of the oracle's " + metric + " gain over held-out tasks, 95%"
                + " bootstrap interval over tasks", labels, rows.doubleColumn("share").asDoubleArray(),
                rows.doubleColumn("share 95% low").asDoubleArray(), rows.doubleColumn("share 95% high")
                        .asDoubleArray(), "share recovered (0 = no adapter, 1 = own fine-tuned adapter)");
    }

    /**
     * A t-SNE map (Smile) of every task's {@code condition} vector, each point marked as a training task in every fold
     * or with the fold that holds it out: where a held-out task's condition lies among the conditions the generators
     * were fitted on.
     */
    private static Figure conditionMap(RunContext context, Track track,
            List<TaskFolds.Fold> folds, ConditionKind condition) {
        List<Task> tasks = track.allTasks();
        double[][] points = new double[tasks.size()][];
        StringColumn role = StringColumn.create("role");
        StringColumn label = StringColumn.create("task");
        for (int i = 0; i < tasks.size(); i++) {
            float[] vector = track.taskVectors().of(tasks.get(i).id(), condition);
            points[i] = new double[vector.length];
            for (int d = 0; d < vector.length; d++) {
                points[i][d] = vector[d];
            }
            String id = tasks.get(i).id();
            label.append(id);
            role.append(folds.stream().filter(f -> f.heldOut().contains(id)).findFirst()
                    .map(f -> "held out in fold " + (f.index() + 1)).orElse("training task in every fold"));
        }
        MathEx.setSeed(Seeds.derive(context.seed(), "heldout-tsne/" + track.id()));
        double perplexity = Math.max(1, Math.min(30, (points.length - 1) / 3.0));
        double[][] map = new TSNE(points, 2, perplexity, 200, 1000).coordinates;
        Table table = Table.create("map", DoubleColumn.create("t-SNE 1", Arrays.stream(map)
                .mapToDouble(p -> p[0])), DoubleColumn.create("t-SNE 2", Arrays.stream(map)
                .mapToDouble(p -> p[1])), role, label);
        return Charts.labelledPoints(track.id() + ": t-SNE of the task conditions (" + name(condition) + ")", table,
                "t-SNE 1", "t-SNE 2", "role", "task");
    }

    // ---- readings -------------------------------------------------------------------------------------------------

    /**
     * Plain statements from the numbers, on the track's headline metric: the gain there is to recover, each method's
     * share of it with its interval, and each generator against the two controls that need no generator (the nearest
     * training task's adapter and the soup of all training tasks).
     */
    private static List<String> notes(RunContext context, Track track, List<TaskFolds.Fold> folds,
            List<Cell> cells) {
        Metric metric = track.metrics().stream().filter(m -> m.name().equals(HEADLINE.get(track.id()))).findFirst()
                .orElseThrow();
        double[] base = values(cells, Row.ORIGINAL_MODEL, NO_CONDITION, metric);
        double[] oracle = values(cells, Row.ORACLE, NO_CONDITION, metric);
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "%s: %d held-out tasks in %d folds (%s), %d seed(s). Fine-tuning (the"
                + " oracle, each task's own adapter) moves %s from %.4f to %.4f on average: the gain to recover.",
                track.id(), base.length, folds.size(), foldList(folds), cells.get(0).seeds().size(), metric.name(),
                Arrays.stream(base).average().orElseThrow(), Arrays.stream(oracle).average().orElseThrow()));
        for (List<Object> group : groups(cells)) {
            Row row = (Row) group.get(0);
            String condition = (String) group.get(1);
            if (row != Row.ORIGINAL_MODEL && row != Row.ORACLE) {
                RecoveredShare.Interval share = share(context, track, cells, metric, row, condition);
                notes.add(String.format(Locale.ROOT, "%s: %s%s recovers %s of the oracle's %s gain over the %d"
                        + " held-out tasks (95%% bootstrap interval over tasks): %s.", track.id(), row.label,
                        condition.equals(NO_CONDITION) ? "" : " from " + phrase(condition), format(share),
                        metric.name(), share.tasks(), verdict(share)));
            }
        }
        for (ConditionKind kind : context.config().heldout().conditions()) {
            String condition = name(kind);
            for (Row generator : List.of(Row.ICM_LORA, Row.COND_P_DIFF)) {
                for (Row control : List.of(Row.NEAREST_TASK, Row.MODEL_SOUP)) {
                    String controlCondition = control == Row.MODEL_SOUP ? NO_CONDITION : condition;
                    RecoveredShare.Interval difference = RecoveredShare.differenceOverTasks(
                            values(cells, generator, condition, metric), values(cells, control, controlCondition,
                                    metric), base, oracle, metric.higherIsBetter(), bootstrapSeed(context, track,
                                    metric, generator + "-" + control + condition));
                    notes.add(String.format(Locale.ROOT, "%s: %s minus %s, both from %s, in share of the %s gain:"
                            + " %s: %s.", track.id(), generator.label, control.label, phrase(condition),
                            metric.name(), format(difference), comparison(difference, generator.label,
                                    control.label)));
                }
            }
        }
        return notes;
    }

    /** How a condition reads in a sentence. */
    private static String phrase(String condition) {
        return switch (condition) {
            case "description" -> "the task's description";
            case "base-states" -> "the base model's hidden states";
            default -> condition;
        };
    }

    private static String foldList(List<TaskFolds.Fold> folds) {
        return String.join("; ", folds.stream().map(f -> "fold " + (f.index() + 1) + ": " + String.join(", ",
                f.heldOut())).toList());
    }

    private static String format(RecoveredShare.Interval interval) {
        return String.format(Locale.ROOT, "%+.2f [%+.2f, %+.2f]", interval.estimate(), interval.low(),
                interval.high());
    }

    /** What an interval of a share says: where it lies against 0 (no adapter) and 1 (fine-tuning). */
    static String verdict(RecoveredShare.Interval share) {
        if (Double.isNaN(share.low())) {
            return "undefined (fine-tuning does not improve on the base model over these tasks)";
        }
        if (share.high() < 0) {
            return "worse than no adapter";
        }
        if (share.low() <= 0) {
            return share.high() >= 1 ? "too uncertain to tell from either no adapter or fine-tuning"
                    : "not distinguishable from no adapter";
        }
        return share.high() < 1 ? "better than no adapter and short of fine-tuning"
                : "better than no adapter and not distinguishable from fine-tuning";
    }

    /** What an interval of a paired difference says. */
    static String comparison(RecoveredShare.Interval difference, String first, String second) {
        if (Double.isNaN(difference.low())) {
            return "undefined";
        }
        if (difference.low() > 0) {
            return first + " recovers more";
        }
        if (difference.high() < 0) {
            return second + " recovers more";
        }
        return "indistinguishable at this number of tasks";
    }
}
