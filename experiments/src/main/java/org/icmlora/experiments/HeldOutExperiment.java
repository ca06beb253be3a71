package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.icmlora.experiments.pipeline.Upstream;
import org.icmlora.generate.core.SoupConfig;
import org.icmlora.stats.Bootstrap;
import org.icmlora.stats.Interval;
import org.icmlora.stats.Readings;
import org.icmlora.stats.Summary;
import org.icmlora.tracks.ConditionKind;
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
 * adapter as the oracle. Each is scored on the held-out task's test split under every seed of the run; the share of
 * the oracle's gain a method recovers, (method - base) / (oracle - base), is reported per task and over the held-out
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
    }

    /**
     * One line of the tables: a row under a condition ({@value #NO_CONDITION} for the rows that read none).
     *
     * @param row       the row
     * @param condition the condition kind's name
     */
    private record Line(Row row, String condition) {

        /** The key of this line in the {@link Measurements}. */
        String key() {
            return condition.equals(NO_CONDITION) ? row.label : row.label + " (" + condition + ")";
        }
    }

    /** What one track measured: every line's evaluations per task and seed, and the nearest tasks chosen. */
    private record TrackMeasurements(Track track, List<TaskFolds.Fold> folds, Measurements measured, List<Line> lines,
            Map<String, Set<String>> nearest) {

        List<String> tasks() {
            return folds.stream().flatMap(f -> f.heldOut().stream()).toList();
        }

        int fold(String task) {
            return folds.stream().filter(f -> f.heldOut().contains(task)).findFirst().orElseThrow().index() + 1;
        }

        /** The mean over seeds of {@code metric} on every held-out task, in fold order. */
        double[] means(Line line, Metric metric) {
            return tasks().stream().mapToDouble(task -> measured.summary(line.key(), task, metric.name()).mean())
                    .toArray();
        }

        /** {@code metric} under the run's seed number {@code seed} on every held-out task, in fold order. */
        double[] underSeed(Line line, Metric metric, int seed) {
            return tasks().stream().mapToDouble(task -> measured.values(line.key(), task, metric.name())[seed])
                    .toArray();
        }

        /** The share over the held-out tasks under each seed separately, where defined: its spread over seeds. */
        Summary shareOverSeeds(Line line, Metric metric) {
            int seeds = measured.summary(BASE.key(), tasks().get(0), metric.name()).n();
            double[] shares = java.util.stream.IntStream.range(0, seeds).mapToDouble(s -> RecoveredShare.estimate(
                    underSeed(line, metric, s), underSeed(BASE, metric, s), underSeed(ORACLE, metric, s),
                    metric.higherIsBetter())).filter(v -> !Double.isNaN(v)).toArray();
            return shares.length == 0 ? new Summary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0)
                    : Summary.of(shares);
        }
    }

    private static final Line BASE = new Line(Row.ORIGINAL_MODEL, NO_CONDITION);
    private static final Line ORACLE = new Line(Row.ORACLE, NO_CONDITION);

    @Override
    public String id() {
        return "heldout";
    }

    @Override
    public String title() {
        return "Held-out tasks: generated adapters for tasks the generators never saw";
    }

    /** Every fold's generators on both tracks, under every seed and held-out condition. */
    @Override
    public List<GeneratorStage.Request> fits(RunContext context) {
        return Tracks.IDS.stream().flatMap(id -> requests(context, id).stream())
                .flatMap(methods -> methods.values().stream()).toList();
    }

    @Override
    public ExperimentResult run(RunContext context) {
        List<TrackMeasurements> tracks = Tracks.IDS.stream().map(id -> measure(context, id)).toList();
        Table perTask = null;
        Table summary = null;
        for (TrackMeasurements track : tracks) {
            perTask = perTask == null ? perTaskTable(track) : perTask.append(perTaskTable(track));
            summary = summary == null ? summaryTable(context, track) : summary.append(summaryTable(context, track));
        }
        perTask.setName(title() + ": per held-out task (measured, mean over seeds)");
        summary.setName(title() + ": share of the oracle's gain recovered over the held-out tasks (measured; the"
                + " paper reports no held-out tasks)");
        ExperimentResult result = new ExperimentResult(id(), title(), context, perTask, summary);
        for (TrackMeasurements track : tracks) {
            String id = track.track().id();
            String metric = HEADLINE.get(id);
            result.withFigure(id + "-share", shareFigure(summary, id, metric));
            result.withFigure(id + "-share-per-task", Charts.groupedBars(id + ": share of the oracle's " + metric
                    + " gain recovered, per held-out task", shareBars(perTask, id, metric), "held-out task", "method",
                    "share"));
            result.withFigure(id + "-conditions", conditionMap(context, track));
            notes(context, track).forEach(result::withNote);
        }
        return result;
    }

    // ---- measuring ------------------------------------------------------------------------------------------------

    /**
     * Every line of the held-out table on one track. First every fold's generators under every seed and condition are
     * fitted, side by side ({@link GeneratorStage#fitAll}); then every cell is gathered and evaluated at once, batched
     * and side by side ({@link Cells}), and added in the order seed, fold, condition, task.
     */
    private static TrackMeasurements measure(RunContext context, String trackId) {
        Track track = Tracks.of(context, trackId);
        List<TaskFolds.Fold> folds = folds(context, track);
        List<ConditionKind> conditions = context.config().heldout().conditions();
        Map<Track, List<String>> everyTask = new LinkedHashMap<>();
        List<RunContext> seeds = context.perSeed();
        for (RunContext seed : seeds) {
            Track seeded = Tracks.of(seed, trackId);
            everyTask.put(seeded, seeded.allTasks().stream().map(Task::id).toList());
        }
        // the held-out tasks' own series (the oracle) and conditions as well, so no evaluation waits for a training
        Upstream.prepare(everyTask, List.of(context.config().lora().rank()), conditions);
        List<Map<Method, TrainedGenerator>> fitted = fitAll(requests(context, trackId));
        try {
            Set<Line> lines = new LinkedHashSet<>();
            Map<String, Set<String>> nearest = new LinkedHashMap<>();
            Cells cells = new Cells();
            Iterator<Map<Method, TrainedGenerator>> next = fitted.iterator();
            for (RunContext seed : seeds) {
                Track seeded = Tracks.of(seed, trackId);
                for (TaskFolds.Fold fold : folds) {
                    Map<ConditionKind, Map<Method, TrainedGenerator>> generators = new EnumMap<>(ConditionKind.class);
                    conditions.forEach(condition -> generators.put(condition, next.next()));
                    cellsOfFold(seed, seeded, fold, generators, cells, lines, nearest);
                }
            }
            Measurements measured = new Measurements(track);
            cells.evaluateInto(measured);
            List<Line> ordered = lines.stream().sorted(Comparator.comparing(Line::row)
                    .thenComparing(Line::condition)).toList();
            return new TrackMeasurements(track, folds, measured, ordered, nearest);
        } finally {
            fitted.forEach(generators -> generators.values().forEach(TrainedGenerator::close));
        }
    }

    /**
     * The cells of every row of the held-out table on the tasks {@code fold} holds out, under one seed, read from the
     * fold's generators under each held-out condition.
     */
    private static void cellsOfFold(RunContext seed, Track track, TaskFolds.Fold fold,
            Map<ConditionKind, Map<Method, TrainedGenerator>> generators, Cells cells, Set<Line> lines,
            Map<String, Set<String>> nearest) {
        int rank = seed.config().lora().rank();
        for (String task : fold.heldOut()) {
            add(cells, lines, BASE, task, MethodEvaluation.Request.of(seed, track, Method.ORIGINAL_MODEL, task, rank,
                    null));
            add(cells, lines, ORACLE, task, MethodEvaluation.Request.of(seed, track, Method.ORIGINAL_LORA, task,
                    rank, null));
        }
        generators.forEach((condition, methods) -> {
            for (String task : fold.heldOut()) {
                float[] own = track.taskVectors().of(task, condition);
                NearestTask.Match match = NearestTask.byCosine(own, methods.get(Method.ICM_LORA).conditions());
                Line line = new Line(Row.NEAREST_TASK, name(condition));
                nearest.computeIfAbsent(task + "|" + line.key(), k -> new LinkedHashSet<>()).add(String.format(
                        Locale.ROOT, "%s (cosine %.3f)", match.task(), match.similarity()));
                add(cells, lines, line, task, new MethodEvaluation.Request(seed, track, task, Row.NEAREST_TASK.name(),
                        rank, track.adaptersKey(match.task(), rank),
                        () -> Optional.of(track.adapters(match.task(), rank).last())));
                if (methods.containsKey(Method.MODEL_SOUP)) { // reads no condition: fitted under the first kind only
                    add(cells, lines, new Line(Row.MODEL_SOUP, NO_CONDITION), task,
                            generated(seed, track, task, own, rank, Method.MODEL_SOUP, methods));
                }
                add(cells, lines, new Line(Row.COND_P_DIFF, name(condition)), task,
                        generated(seed, track, task, own, rank, Method.COND_P_DIFF, methods));
                add(cells, lines, new Line(Row.ICM_LORA, name(condition)), task,
                        generated(seed, track, task, own, rank, Method.ICM_LORA, methods));
            }
        });
    }

    /** The evaluation of the adapter {@code method}'s generator writes for {@code task} from its condition {@code own}. */
    private static MethodEvaluation.Request generated(RunContext seed, Track track, String task, float[] own, int rank,
            Method method, Map<Method, TrainedGenerator> generators) {
        TrainedGenerator generator = generators.get(method);
        return new MethodEvaluation.Request(seed, track, task, method.name(), rank, generator.key(),
                () -> Optional.of(generator.generate(own, seed.seed())));
    }

    private static void add(Cells cells, Set<Line> lines, Line line, String task, MethodEvaluation.Request request) {
        lines.add(line);
        cells.add(line.key(), task, request);
    }

    /**
     * The generating methods of {@code fold}, to be fitted on its training tasks only: the uniform Model Soup of every
     * training task's checkpoints (the paper's soup, so condition-free whatever {@code soup.scope} says; requested
     * under the run's first held-out condition only), then COND P-DIFF and ICM-LoRA conditioned on {@code condition}.
     */
    private static Map<Method, GeneratorStage.Request> foldRequests(RunContext run, Track track, TaskFolds.Fold fold,
            ConditionKind condition) {
        KitConfig config = run.config();
        int rank = config.lora().rank();
        Map<Method, GeneratorStage.Request> requests = new EnumMap<>(Method.class);
        if (condition == config.heldout().conditions().get(0)) {
            requests.put(Method.MODEL_SOUP, new GeneratorStage.Request(run, track, new SoupConfig(
                    SoupConfig.Scope.ALL_TASKS, config.soup().averaging()), rank, condition, fold.training()));
        }
        int pairs = GeneratorStage.trainingPairs(track, fold.training().size());
        for (Method method : List.of(Method.COND_P_DIFF, Method.ICM_LORA)) {
            requests.put(method, new GeneratorStage.Request(run, track, method.generator(config, pairs), rank,
                    condition, fold.training()));
        }
        return requests;
    }

    /** Every fold's generators on one track, under every seed and condition, in the order seed, fold, condition. */
    private static List<Map<Method, GeneratorStage.Request>> requests(RunContext context, String trackId) {
        List<TaskFolds.Fold> folds = folds(context, Tracks.of(context, trackId));
        List<Map<Method, GeneratorStage.Request>> requests = new ArrayList<>();
        for (RunContext seed : context.perSeed()) {
            Track seeded = Tracks.of(seed, trackId);
            for (TaskFolds.Fold fold : folds) {
                context.config().heldout().conditions().forEach(condition -> requests.add(foldRequests(seed, seeded,
                        fold, condition)));
            }
        }
        return requests;
    }

    /**
     * The generators of each requested fold, fitted side by side, in the requests' order; none of them has seen a
     * held-out task's adapters or condition (checked). Close them.
     */
    private static List<Map<Method, TrainedGenerator>> fitAll(List<Map<Method, GeneratorStage.Request>> requests) {
        List<TrainedGenerator> fitted = GeneratorStage.fitAll(requests.stream()
                .flatMap(methods -> methods.values().stream()).toList());
        Iterator<TrainedGenerator> next = fitted.iterator();
        List<Map<Method, TrainedGenerator>> generators = new ArrayList<>();
        for (Map<Method, GeneratorStage.Request> methods : requests) {
            Map<Method, TrainedGenerator> fold = new EnumMap<>(Method.class);
            methods.keySet().forEach(method -> fold.put(method, next.next()));
            generators.add(fold);
        }
        try {
            for (int i = 0; i < requests.size(); i++) {
                checkHeldOut(requests.get(i).values().iterator().next().tasks(), generators.get(i));
            }
        } catch (RuntimeException e) {
            fitted.forEach(TrainedGenerator::close);
            throw e;
        }
        return generators;
    }

    /**
     * The generating methods of {@code fold} fitted on its training tasks only: Model Soup (under the run's first
     * held-out condition), COND P-DIFF and ICM-LoRA conditioned on {@code condition}. None of them has seen a held-out
     * task's adapters or condition (checked). Close them.
     */
    public static Map<Method, TrainedGenerator> fitFold(RunContext run, Track track, TaskFolds.Fold fold,
            ConditionKind condition) {
        Map<Method, GeneratorStage.Request> requests = new EnumMap<>(Method.class);
        requests.putAll(foldRequests(run, track, fold, run.config().heldout().conditions().get(0)));
        requests.putAll(foldRequests(run, track, fold, condition));
        return fitAll(List.of(requests)).get(0);
    }

    /** Throws if a generator was fitted on a task outside {@code training}, the fold's training tasks. */
    private static void checkHeldOut(List<String> training, Map<Method, TrainedGenerator> generators) {
        generators.forEach((method, generator) -> generator.conditions().keySet().forEach(task -> {
            if (!training.contains(task)) {
                throw new IllegalStateException(method.paperName() + " of a held-out fold was fitted on " + task
                        + ", which is not among the fold's training tasks " + training);
            }
        }));
    }

    /** The folds of {@code track} under the run's held-out settings. */
    public static List<TaskFolds.Fold> folds(RunContext context, Track track) {
        return TaskFolds.of(track.allTasks().stream().map(Task::id).toList(),
                context.config().heldout().tasks(track.id()), context.config().heldout().folds());
    }

    private static String name(ConditionKind condition) {
        return condition.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    // ---- tables ---------------------------------------------------------------------------------------------------

    /** One line per task, row, condition and metric: mean and sd over seeds, and the task's share of the gain. */
    private static Table perTaskTable(TrackMeasurements t) {
        Table table = Table.create("per task", StringColumn.create("track"), StringColumn.create("held-out task"),
                IntColumn.create("fold"), StringColumn.create("method"), StringColumn.create("condition"),
                StringColumn.create("nearest task"), StringColumn.create("metric"), DoubleColumn.create("mean"),
                DoubleColumn.create("sd"), IntColumn.create("seeds"), DoubleColumn.create("share"));
        for (Metric metric : t.track().metrics()) {
            for (String task : t.tasks()) {
                double base = t.measured().summary(BASE.key(), task, metric.name()).mean();
                double oracle = t.measured().summary(ORACLE.key(), task, metric.name()).mean();
                for (Line line : t.lines()) {
                    Summary summary = t.measured().summary(line.key(), task, metric.name());
                    table.stringColumn("track").append(t.track().id());
                    table.stringColumn("held-out task").append(task);
                    table.intColumn("fold").append(t.fold(task));
                    table.stringColumn("method").append(line.row().label);
                    table.stringColumn("condition").append(line.condition());
                    table.stringColumn("nearest task").append(String.join("; ", t.nearest().getOrDefault(task + "|"
                            + line.key(), Set.of())));
                    table.stringColumn("metric").append(metric.name());
                    table.doubleColumn("mean").append(summary.mean());
                    table.doubleColumn("sd").append(summary.sd());
                    table.intColumn("seeds").append(summary.n());
                    table.doubleColumn("share").append(RecoveredShare.of(summary.mean(), base, oracle,
                            metric.higherIsBetter()));
                }
            }
        }
        return table;
    }

    /**
     * Per metric and line: the mean value over held-out tasks and the share of the oracle's gain recovered over them
     * (from the means over seeds) with its interval over tasks and its sd over seeds (the share under each seed), in
     * the kit's comparison shape (the paper's column is empty: it reports no held-out tasks).
     */
    private static Table summaryTable(RunContext context, TrackMeasurements t) {
        Table table = Table.create("summary", StringColumn.create("track"), StringColumn.create("metric"),
                StringColumn.create("method"), StringColumn.create("condition"), IntColumn.create("tasks"),
                DoubleColumn.create("mean value"), DoubleColumn.create("share 95% low"),
                DoubleColumn.create("share 95% high"), DoubleColumn.create("share measured"),
                DoubleColumn.create("share sd"), DoubleColumn.create("share paper"));
        for (Metric metric : t.track().metrics()) {
            for (Line line : t.lines()) {
                Optional<Interval> share = share(context, t, metric, line);
                table.stringColumn("track").append(t.track().id());
                table.stringColumn("metric").append(metric.name());
                table.stringColumn("method").append(line.row().label);
                table.stringColumn("condition").append(line.condition());
                table.intColumn("tasks").append(t.tasks().size());
                table.doubleColumn("mean value").append(Arrays.stream(t.means(line, metric)).average().orElseThrow());
                table.doubleColumn("share 95% low").append(share.map(Interval::low).orElse(Double.NaN));
                table.doubleColumn("share 95% high").append(share.map(Interval::high).orElse(Double.NaN));
                table.doubleColumn("share measured").append(share.map(Interval::estimate).orElse(Double.NaN));
                table.doubleColumn("share sd").append(t.shareOverSeeds(line, metric).sd());
                table.doubleColumn("share paper").append(Double.NaN);
            }
        }
        return table;
    }

    /** The share of the oracle's {@code metric} gain {@code line} recovers over the held-out tasks. */
    private static Optional<Interval> share(RunContext context, TrackMeasurements t, Metric metric, Line line) {
        return shares(context, t, metric, line.key()).overTasks(t.means(line, metric), t.means(BASE, metric),
                t.means(ORACLE, metric), metric.higherIsBetter());
    }

    /** The bootstrap of one interval: the run's {@code stats.*} settings, a seed of what it is for. */
    private static RecoveredShare shares(RunContext context, TrackMeasurements t, Metric metric, String what) {
        return new RecoveredShare(new Bootstrap(context.config().stats().resamples(), context.config().stats().level(),
                Seeds.derive(context.seed(), "heldout-share/" + t.track().id() + "/" + metric.name() + "/" + what)));
    }

    // ---- figures --------------------------------------------------------------------------------------------------

    /** The share of the headline metric per task for the rows that can fall anywhere (not the base, not the oracle). */
    private static Table shareBars(Table perTask, String track, String metric) {
        Table rows = perTask.where(perTask.stringColumn("track").isEqualTo(track)
                .and(perTask.stringColumn("metric").isEqualTo(metric))
                .and(perTask.stringColumn("method").isNotIn(Row.ORIGINAL_MODEL.label, Row.ORACLE.label)));
        StringColumn method = StringColumn.create("method");
        for (int i = 0; i < rows.rowCount(); i++) {
            String condition = rows.stringColumn("condition").get(i);
            method.append(rows.stringColumn("method").get(i) + (condition.equals(NO_CONDITION) ? ""
                    : " (" + condition + ")"));
        }
        return Table.create("bars", rows.stringColumn("held-out task").copy(), method,
                rows.doubleColumn("share").copy());
    }

    /**
     * Each row's share over the held-out tasks with its interval, as bars with error bars; a row without a share (the
     * oracle gained nothing over these tasks) has no bar.
     */
    private static Figure shareFigure(Table summary, String track, String metric) {
        Table rows = summary.where(summary.stringColumn("track").isEqualTo(track)
                .and(summary.stringColumn("metric").isEqualTo(metric))
                .and(summary.doubleColumn("share measured").isNotMissing())
                .and(summary.doubleColumn("share 95% low").isNotMissing()));
        StringColumn method = StringColumn.create("method");
        DoubleColumn below = DoubleColumn.create("below");
        DoubleColumn above = DoubleColumn.create("above");
        for (int i = 0; i < rows.rowCount(); i++) {
            String condition = rows.stringColumn("condition").get(i);
            method.append(rows.stringColumn("method").get(i) + (condition.equals(NO_CONDITION) ? ""
                    : " (" + condition + ")"));
            double share = rows.doubleColumn("share measured").get(i);
            below.append(share - rows.doubleColumn("share 95% low").get(i));
            above.append(rows.doubleColumn("share 95% high").get(i) - share);
        }
        Table bars = Table.create("bars", method, StringColumn.create("series", Collections.nCopies(
                rows.rowCount(), "share")), rows.doubleColumn("share measured").copy().setName("share"), below, above);
        return Charts.groupedBarsWithErrors(track + ": share of the oracle's " + metric + " gain recovered over the"
                + " held-out tasks (0 = no adapter, 1 = own fine-tuned adapter; 95% bootstrap interval over tasks)",
                bars, "method", "series", "share", "below", "above");
    }

    /**
     * A t-SNE map (Smile) of every task's condition of the run's first held-out kind, each point marked as a training
     * task in every fold or with the fold that holds it out: where a held-out task's condition lies among the
     * conditions the generators were fitted on.
     */
    private static Figure conditionMap(RunContext context, TrackMeasurements t) {
        ConditionKind condition = context.config().heldout().conditions().get(0);
        List<Task> tasks = t.track().allTasks();
        double[][] points = new double[tasks.size()][];
        StringColumn role = StringColumn.create("role");
        StringColumn label = StringColumn.create("task");
        for (int i = 0; i < tasks.size(); i++) {
            String id = tasks.get(i).id();
            float[] vector = t.track().taskVectors().of(id, condition);
            points[i] = new double[vector.length];
            for (int d = 0; d < vector.length; d++) {
                points[i][d] = vector[d];
            }
            label.append(id);
            role.append(t.tasks().contains(id) ? "held out in fold " + t.fold(id) : "training task in every fold");
        }
        MathEx.setSeed(Seeds.derive(context.seed(), "heldout-tsne/" + t.track().id()));
        double perplexity = Math.max(1, Math.min(30, (points.length - 1) / 3.0));
        double[][] map = new TSNE(points, 2, perplexity, 200, 1000).coordinates;
        Table table = Table.create("map", DoubleColumn.create("t-SNE 1", Arrays.stream(map).mapToDouble(p -> p[0])),
                DoubleColumn.create("t-SNE 2", Arrays.stream(map).mapToDouble(p -> p[1])), role, label);
        return Charts.labelledPoints(t.track().id() + ": t-SNE of the task conditions (" + name(condition) + ")",
                table, "t-SNE 1", "t-SNE 2", "role", "task");
    }

    // ---- readings -------------------------------------------------------------------------------------------------

    /**
     * Plain statements from the numbers, on the track's headline metric: the gain there is to recover, each method's
     * share of it with its interval, and each generator against the two controls that need no generator (the nearest
     * training task's adapter and the soup of all training tasks).
     */
    private static List<String> notes(RunContext context, TrackMeasurements t) {
        Track track = t.track();
        Metric metric = track.metrics().stream().filter(m -> m.name().equals(HEADLINE.get(track.id()))).findFirst()
                .orElseThrow();
        double[] base = t.means(BASE, metric);
        double[] oracle = t.means(ORACLE, metric);
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "%s: %d held-out tasks in %d folds (%s), %d seed(s). Fine-tuning (the"
                + " oracle, each task's own adapter) moves %s from %.4f to %.4f on average: the gain to recover.",
                track.id(), base.length, t.folds().size(), foldList(t.folds()), context.perSeed().size(),
                metric.name(), Arrays.stream(base).average().orElseThrow(),
                Arrays.stream(oracle).average().orElseThrow()));
        for (Line line : t.lines()) {
            if (line.row() != Row.ORIGINAL_MODEL && line.row() != Row.ORACLE) {
                notes.add(String.format(Locale.ROOT, "%s: %s%s recovers %s of the oracle's %s gain over the %d"
                        + " held-out tasks (%s): %s.", track.id(), line.row().label, line.condition()
                        .equals(NO_CONDITION) ? "" : " from " + phrase(line.condition()), share(context, t, metric,
                        line).map(i -> i.format(2)).orElse("an undefined share"), metric.name(), base.length,
                        intervalKind(context), verdict(share(context, t, metric, line))));
            }
        }
        for (ConditionKind kind : context.config().heldout().conditions()) {
            for (Row generator : List.of(Row.ICM_LORA, Row.COND_P_DIFF)) {
                for (Line control : List.of(new Line(Row.NEAREST_TASK, name(kind)), new Line(Row.MODEL_SOUP,
                        NO_CONDITION))) {
                    Line first = new Line(generator, name(kind));
                    Optional<Interval> difference = shares(context, t, metric, first.key() + " - " + control.key())
                            .differenceOverTasks(t.means(first, metric), t.means(control, metric), base, oracle,
                                    metric.higherIsBetter());
                    notes.add(track.id() + ": " + difference.map(d -> Readings.difference(first.key(), control.key(),
                            "share of the " + metric.name() + " gain over the held-out tasks", d, true, 2))
                            .orElse(first.key() + " vs " + control.key() + ": undefined (fine-tuning gains nothing"
                                    + " over these tasks)."));
                }
            }
        }
        return notes;
    }

    private static String intervalKind(RunContext context) {
        return Math.round(100 * context.config().stats().level()) + " % bootstrap interval over tasks";
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

    /** What the interval of a share says: where it lies against 0 (no adapter) and 1 (fine-tuning). */
    static String verdict(Optional<Interval> share) {
        if (share.isEmpty()) {
            return "undefined (fine-tuning does not improve on the base model over these tasks)";
        }
        Interval interval = share.get();
        if (interval.high() < 0) {
            return "worse than no adapter";
        }
        if (interval.low() <= 0) {
            return interval.high() >= 1 ? "too uncertain to tell from either no adapter or fine-tuning"
                    : "not distinguishable from no adapter";
        }
        return interval.high() < 1 ? "better than no adapter and short of fine-tuning"
                : "better than no adapter and not distinguishable from fine-tuning";
    }
}
