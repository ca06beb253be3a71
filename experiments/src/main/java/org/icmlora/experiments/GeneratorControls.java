package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.icmlora.engine.Seeds;
import org.icmlora.engine.Shuffle;
import org.icmlora.eval.AdapterDistances;
import org.icmlora.experiments.pipeline.GeneratedAdapters;
import org.icmlora.experiments.pipeline.Method;
import org.icmlora.experiments.pipeline.MethodEvaluation;
import org.icmlora.experiments.pipeline.TrainedGenerator;
import org.icmlora.lora.Adapter;
import org.icmlora.stats.Summary;
import org.icmlora.tracks.Metric;
import org.icmlora.tracks.Track;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The controls of one conditional generator on one track, over the run's seeds: does it use its condition, and does
 * it use its latent? Per seed it measures
 * <ul>
 *   <li>the <b>condition-swap matrix</b>: the adapter generated from task j's condition (the table's latent draw),
 *       scored on task i, for every i and j; the diagonal is the table's own cell;</li>
 *   <li><b>null conditions</b> scored on every task: a shuffled assignment (each task gets another task's condition,
 *       a seeded derangement: cells of the swap matrix), the mean of the tasks' conditions, and a random Gaussian
 *       vector scaled to the conditions' mean length; beside them the base model, the fine-tuned adapter and the
 *       Task-mean LoRA of the same seed;</li>
 *   <li><b>latent draws</b>: {@code controls.draws} draws of z per task, each scored, with the distances that say
 *       whether the generator writes new adapters or returns stored ones: the mean pairwise distance between draws,
 *       the distance between the adapters of different conditions under one z, and each draw's memorisation index
 *       ({@link AdapterDistances#memorisationIndex}), all relative to the spread of the task's own checkpoints;</li>
 *   <li><b>weight fidelity</b>: per LoRA tensor, cosine and relative L2 error of the table's adapter against the
 *       task's last checkpoint and against the element-wise mean of its checkpoints;</li>
 *   <li><b>cost</b>: milliseconds to generate one adapter (timed on every run), the generator's bytes and
 *       parameter count.</li>
 * </ul>
 * Every evaluation and every drawn adapter ({@link GeneratedAdapters}) is cached in the artifact store under the
 * generator's key, so the controls reuse the table's cells and a rerun takes seconds.
 */
final class GeneratorControls {

    static final String OWN = "own condition";
    static final String SHUFFLED = "shuffled assignment";
    static final String MEAN = "mean condition";
    static final String RANDOM = "random condition";
    /** The null conditions and references compared with {@link #OWN}, in table order. */
    static final List<String> COMPARED = List.of(SHUFFLED, MEAN, RANDOM, Method.ORIGINAL_MODEL.paperName(),
            Method.TASK_MEAN_LORA.paperName(), Method.ORIGINAL_LORA.paperName());

    /** Generation calls timed per seed for the cost. */
    private static final int TIMED_CALLS = 3;

    private final Method method;
    private final Metric metric;
    private final Measurements scores;
    private final List<String> tasks = new ArrayList<>();
    private final Map<String, Double> costs = new LinkedHashMap<>();
    private final Table latent;
    private final Table draws;
    private final Table fidelity;

    /** Controls of {@code method} on {@code track} (its first metric is the one read). */
    GeneratorControls(Track track, Method method) {
        this.method = method;
        this.metric = track.metrics().get(0);
        this.scores = new Measurements(track);
        track.tasks().forEach(t -> tasks.add(t.id()));
        this.latent = Table.create("latent draws per task", LongColumn.create("seed"), StringColumn.create("task"),
                DoubleColumn.create(metric.name() + " mean over draws"), DoubleColumn.create(metric.name() + " sd"),
                DoubleColumn.create(metric.name() + " min"), DoubleColumn.create(metric.name() + " max"),
                DoubleColumn.create("own checkpoints' spread"), DoubleColumn.create("draws' spread / own spread"),
                DoubleColumn.create("conditions' spread / own spread"),
                DoubleColumn.create("memorisation index mean"), DoubleColumn.create("memorisation index min"),
                DoubleColumn.create("memorisation index of the table's adapter"),
                DoubleColumn.create("memorisation index of the task mean"));
        this.draws = Table.create("every draw", LongColumn.create("seed"), StringColumn.create("task"),
                IntColumn.create("draw"), DoubleColumn.create(metric.name()),
                DoubleColumn.create("memorisation index"));
        this.fidelity = Table.create("weight fidelity per tensor", LongColumn.create("seed"),
                StringColumn.create("task"), StringColumn.create("adapter"), StringColumn.create("reference"),
                StringColumn.create("tensor"), DoubleColumn.create("cosine"), DoubleColumn.create("relative L2"));
    }

    Method method() {
        return method;
    }

    Metric metric() {
        return metric;
    }

    /** Scores per row ({@link #OWN}, {@link #COMPARED}, "condition of <task>") and task, one per seed. */
    Measurements scores() {
        return scores;
    }

    /** The row of the swap matrix whose adapters were generated from {@code task}'s condition. */
    static String conditionOf(String task) {
        return "condition of " + task;
    }

    Table latent() {
        return latent;
    }

    Table draws() {
        return draws;
    }

    Table fidelity() {
        return fidelity;
    }

    /** Means over seeds of generation latency (ms), generator bytes and parameters. */
    Map<String, Double> costs() {
        return costs;
    }

    /**
     * Runs every control for one seed with its fitted {@code generator} and the same seed's Task-mean LoRA: the
     * adapters are generated first, then every evaluation the controls need is gathered and made at once (batched
     * and side by side, {@link Cells}), then the tables are written from them.
     */
    void measure(RunContext context, Track track, int rank, TrainedGenerator generator, TrainedGenerator taskMean,
            int drawCount) {
        long seed = context.seed();
        Map<String, Supplier<Adapter>> byCondition = new LinkedHashMap<>();
        for (String j : tasks) { // the table's adapters (the same z for every task)
            Adapter adapter = new Adapter(generator.adapter(), generator.layout(),
                    GeneratedAdapters.draw(context, track, generator, j, 1, seed).get(0));
            byCondition.put(j, () -> adapter);
        }
        Cells cells = new Cells();
        swapMatrix(context, track, rank, generator, byCondition, cells);
        nullConditions(context, track, rank, generator, taskMean, cells);
        List<TaskDraws> drawn = latentDraws(context, track, rank, generator, drawCount, cells);
        cells.evaluateInto(scores);
        latentTables(track, rank, seed, byCondition, drawn);
        weightFidelity(track, rank, seed, byCondition);
        cost(generator, seed);
    }

    private void swapMatrix(RunContext context, Track track, int rank, TrainedGenerator generator,
            Map<String, Supplier<Adapter>> byCondition, Cells cells) {
        for (String j : tasks) {
            for (String i : tasks) {
                if (i.equals(j)) { // the table's own cell (same cache entry), from the adapter generated here
                    MethodEvaluation.Request own = new MethodEvaluation.Request(context, track, i, method.name(),
                            rank, generator.key(), () -> Optional.of(byCondition.get(i).get()));
                    cells.add(conditionOf(j), i, own);
                    cells.add(OWN, i, own);
                } else {
                    cells.add(conditionOf(j), i, request(context, track, i, conditionOf(j), rank, generator,
                            byCondition.get(j)));
                }
            }
        }
        int[] derangement = derangement(tasks.size(), new Random(Seeds.derive(context.seed(), "controls-shuffle")));
        for (int i = 0; i < tasks.size(); i++) {
            String task = tasks.get(i);
            String other = tasks.get(derangement[i]);
            cells.add(SHUFFLED, task, request(context, track, task, conditionOf(other), rank, generator,
                    byCondition.get(other)));
        }
    }

    private void nullConditions(RunContext context, Track track, int rank, TrainedGenerator generator,
            TrainedGenerator taskMean, Cells cells) {
        List<float[]> conditions = tasks.stream().map(t -> generator.conditions().get(t)).toList();
        float[] mean = new float[conditions.get(0).length];
        double length = 0;
        for (float[] c : conditions) {
            for (int d = 0; d < mean.length; d++) {
                mean[d] += c[d] / conditions.size();
            }
            length += norm(c) / conditions.size();
        }
        Random random = new Random(Seeds.derive(context.seed(), "controls-random-condition"));
        float[] noise = new float[mean.length];
        for (int d = 0; d < noise.length; d++) {
            noise[d] = (float) random.nextGaussian();
        }
        double scale = length / norm(noise);
        for (int d = 0; d < noise.length; d++) {
            noise[d] *= (float) scale;
        }
        long seed = context.seed();
        Supplier<Adapter> meanAdapter = memo(() -> generator.generate(mean, seed));
        Supplier<Adapter> randomAdapter = memo(() -> generator.generate(noise, seed));
        for (String task : tasks) {
            cells.add(MEAN, task, request(context, track, task, MEAN, rank, generator, meanAdapter));
            cells.add(RANDOM, task, request(context, track, task, RANDOM, rank, generator, randomAdapter));
            cells.add(Method.ORIGINAL_MODEL.paperName(), task, MethodEvaluation.Request.of(context, track,
                    Method.ORIGINAL_MODEL, task, rank, null));
            cells.add(Method.TASK_MEAN_LORA.paperName(), task, MethodEvaluation.Request.of(context, track,
                    Method.TASK_MEAN_LORA, task, rank, taskMean));
            cells.add(Method.ORIGINAL_LORA.paperName(), task, MethodEvaluation.Request.of(context, track,
                    Method.ORIGINAL_LORA, task, rank, null));
        }
    }

    /** The latent draws of one task: the drawn adapters' values and their scores, filled in by the evaluation. */
    private record TaskDraws(String task, List<float[]> samples, double[] values) {}

    /** Draws {@code drawCount} adapters per task and gathers their evaluations. */
    private List<TaskDraws> latentDraws(RunContext context, Track track, int rank, TrainedGenerator generator,
            int drawCount, Cells cells) {
        List<TaskDraws> drawn = new ArrayList<>();
        for (String task : tasks) {
            List<float[]> samples = GeneratedAdapters.draw(context, track, generator, task, drawCount,
                    Seeds.derive(context.seed(), "controls-draws", tasks.indexOf(task)));
            TaskDraws draws = new TaskDraws(task, samples, new double[drawCount]);
            for (int d = 0; d < drawCount; d++) {
                int draw = d;
                Adapter adapter = new Adapter(generator.adapter(), generator.layout(), samples.get(d));
                cells.add(request(context, track, task, "draw " + (d + 1), rank, generator, () -> adapter),
                        e -> draws.values()[draw] = e.metrics().get(metric.name()));
            }
            drawn.add(draws);
        }
        return drawn;
    }

    /** The rows of the latent tables from the scored draws: spreads and memorisation indices. */
    private void latentTables(Track track, int rank, long seed, Map<String, Supplier<Adapter>> byCondition,
            List<TaskDraws> drawn) {
        List<float[]> stored = new ArrayList<>();
        Map<String, List<float[]>> own = new LinkedHashMap<>();
        for (String task : tasks) {
            own.put(task, track.adapters(task, rank).adapters().stream().map(Adapter::values).toList());
            stored.addAll(own.get(task));
        }
        double conditionSpread = AdapterDistances.meanPairwiseDistance(byCondition.values().stream()
                .map(a -> a.get().values()).toList());
        for (TaskDraws task : drawn) {
            List<float[]> checkpoints = own.get(task.task());
            double spread = AdapterDistances.meanPairwiseDistance(checkpoints);
            List<float[]> samples = task.samples();
            double[] indices = new double[samples.size()];
            for (int d = 0; d < samples.size(); d++) {
                indices[d] = AdapterDistances.memorisationIndex(samples.get(d), stored, checkpoints);
                appendRow(draws, seed, task.task(), d + 1, task.values()[d], indices[d]);
            }
            Summary metricSpread = Summary.of(task.values());
            Summary index = Summary.of(indices);
            appendRow(latent, seed, task.task(), metricSpread.mean(), metricSpread.sd(), metricSpread.min(),
                    metricSpread.max(), spread, AdapterDistances.meanPairwiseDistance(samples) / spread,
                    conditionSpread / spread, index.mean(), index.min(),
                    AdapterDistances.memorisationIndex(byCondition.get(task.task()).get().values(), stored,
                            checkpoints),
                    AdapterDistances.memorisationIndex(elementwiseMean(checkpoints), stored, checkpoints));
        }
    }

    private void weightFidelity(Track track, int rank, long seed, Map<String, Supplier<Adapter>> byCondition) {
        for (String task : tasks) {
            List<Adapter> checkpoints = track.adapters(task, rank).adapters();
            float[] last = checkpoints.get(checkpoints.size() - 1).values();
            float[] mean = elementwiseMean(checkpoints.stream().map(Adapter::values).toList());
            Adapter generated = byCondition.get(task).get();
            fidelityRows(seed, task, method.paperName(), "last checkpoint", generated, last);
            fidelityRows(seed, task, method.paperName(), "task mean", generated, mean);
            fidelityRows(seed, task, "task mean", "last checkpoint", generated.withValues(mean), last);
        }
    }

    private void fidelityRows(long seed, String task, String adapter, String reference, Adapter x, float[] target) {
        for (AdapterDistances.TensorFidelity f : AdapterDistances.perTensor(x.layout(), x.values(), target)) {
            appendRow(fidelity, seed, task, adapter, reference, f.tensor(), f.cosine(), f.relativeL2());
        }
    }

    /**
     * Cost of one generation, timed on every run (cached draws hold no times): the median of {@link #TIMED_CALLS}
     * calls for the first task's condition (the first call also warms up); and the generator's size.
     */
    private void cost(TrainedGenerator generator, long seed) {
        double[] millis = new double[TIMED_CALLS];
        for (int c = 0; c < TIMED_CALLS; c++) {
            millis[c] = generator.generate(tasks.get(0), 1, seed).nanos() / 1e6;
        }
        Arrays.sort(millis);
        accumulate("generation ms per adapter (median)", millis[TIMED_CALLS / 2]);
        accumulate("generator bytes", generator.storageBytes());
        accumulate("generator parameters", generator.generator().parameterCount());
    }

    private void accumulate(String name, double value) {
        costs.merge(name + " sum", value, Double::sum);
        costs.merge(name + " n", 1.0, Double::sum);
    }

    /** The mean over seeds of a cost measured by {@link #cost}. */
    double cost(String name) {
        return costs.get(name + " sum") / costs.get(name + " n");
    }

    /** The evaluation of {@code adapter}, cached under this method's name and {@code label} and the generator's key. */
    private MethodEvaluation.Request request(RunContext context, Track track, String task, String label, int rank,
            TrainedGenerator generator, Supplier<Adapter> adapter) {
        return new MethodEvaluation.Request(context, track, task, method.name() + " " + label, rank, generator.key(),
                () -> Optional.of(adapter.get()));
    }

    /** A permutation without fixed points (every task gets another's condition), uniformly among them. */
    static int[] derangement(int n, Random random) {
        if (n < 2) {
            throw new IllegalArgumentException("a shuffled assignment needs at least two tasks, got " + n);
        }
        int[] p;
        boolean fixed;
        do {
            p = Shuffle.permutation(n, random);
            fixed = false;
            for (int i = 0; i < n; i++) {
                fixed |= p[i] == i;
            }
        } while (fixed);
        return p;
    }

    private static <T> Supplier<T> memo(Supplier<T> compute) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = compute.get();
                }
                return value;
            }
        };
    }

    private static float[] elementwiseMean(List<float[]> vectors) {
        float[] mean = new float[vectors.get(0).length];
        for (float[] v : vectors) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += v[i] / vectors.size();
            }
        }
        return mean;
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * (double) x;
        }
        return Math.sqrt(sum);
    }

    private static void appendRow(Table table, Object... values) {
        for (int c = 0; c < values.length; c++) {
            Object value = values[c];
            Object column = table.column(c);
            if (column instanceof LongColumn longs) {
                longs.append(((Number) value).longValue());
            } else if (column instanceof IntColumn ints) {
                ints.append(((Number) value).intValue());
            } else if (column instanceof DoubleColumn doubles) {
                doubles.append(((Number) value).doubleValue());
            } else {
                ((StringColumn) column).append(String.valueOf(value));
            }
        }
    }
}
