package org.icmlora.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.icmlora.engine.Workers;
import org.icmlora.tracks.Evaluation;

/**
 * Paired bootstrap intervals for the difference between two methods evaluated on the same test items under the same
 * seeds: the kit's answer to "is ICM-LoRA really below Original LoRA, or is it noise?".
 *
 * <p>The data of one comparison are, per task and per seed, the two methods' {@link Evaluation}s on that seed's test
 * items (scenes or documents). One bootstrap replicate draws the seeds with replacement (the same draw for every task:
 * a seed's generators serve all tasks) and, for each drawn seed and task, the test items with replacement (the same
 * items for both methods: paired); the replicate's difference is the mean over tasks of the mean over drawn seeds of
 * metric(a) - metric(b) on the drawn items. The interval is the percentile interval of the replicates; the estimate
 * is the same statistic on the data as they are. Items and seeds are the two sources of noise a reader must see:
 * test sampling and training randomness.
 */
public final class Bootstrap {

    /** Resamples drawn before their statistics are computed side by side (bounds the memory the draws take). */
    private static final int BLOCK = 100;

    private final int resamples;
    private final double level;
    private final long seed;

    /** {@code resamples} replicates, a {@code level} interval (0.95), draws from {@code seed}. */
    public Bootstrap(int resamples, double level, long seed) {
        if (resamples < 10 || !(level > 0 && level < 1)) {
            throw new IllegalArgumentException("a bootstrap needs >= 10 resamples and a level in (0, 1), got "
                    + resamples + " and " + level);
        }
        this.resamples = resamples;
        this.level = level;
        this.seed = seed;
    }

    /** The confidence level of the intervals. */
    public double level() {
        return level;
    }

    /**
     * The difference metric(a) - metric(b), averaged over seeds and tasks, with its interval. {@code a.get(t).get(s)}
     * is method a's evaluation of task t under seed s; b must have the same tasks, seeds and items.
     */
    public Interval difference(List<List<Evaluation>> a, List<List<Evaluation>> b, String metric) {
        check(a, b);
        double estimate = statistic(a, b, metric, Resample.all(a));
        // Each resample is drawn in turn from one random source, then the statistics of a block of them are computed
        // side by side on the workers: the same replicates as computing each after drawing it.
        SplittableRandom random = new SplittableRandom(seed);
        double[] replicates = new double[resamples];
        for (int start = 0; start < resamples; start += BLOCK) {
            List<Resample> block = new ArrayList<>();
            for (int r = start; r < Math.min(resamples, start + BLOCK); r++) {
                block.add(Resample.draw(a, random));
            }
            List<Double> values = Workers.map(block, resample -> statistic(a, b, metric, resample));
            for (int r = 0; r < values.size(); r++) {
                replicates[start + r] = values.get(r);
            }
        }
        return interval(estimate, replicates).orElseThrow(() -> new IllegalArgumentException("the " + metric
                + " difference is undefined on every resample of the test items"));
    }

    /**
     * The percentile interval around {@code estimate} of this bootstrap's replicates of a statistic: {@code replicate}
     * draws one resample from the random source it is given and returns the statistic on it, or NaN where the
     * statistic is undefined on that resample (left out). Empty when no replicate is defined.
     */
    public Optional<Interval> percentile(double estimate, ToDoubleFunction<SplittableRandom> replicate) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] replicates = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            replicates[r] = replicate.applyAsDouble(random);
        }
        return interval(estimate, replicates);
    }

    /** The percentile interval of the defined (not NaN) {@code replicates} around {@code estimate}; empty if none. */
    private Optional<Interval> interval(double estimate, double[] replicates) {
        double[] sorted = Arrays.stream(replicates).filter(value -> !Double.isNaN(value)).sorted().toArray();
        if (sorted.length == 0) {
            return Optional.empty();
        }
        double tail = (1 - level) / 2;
        return Optional.of(new Interval(estimate, quantile(sorted, tail), quantile(sorted, 1 - tail), level));
    }

    /**
     * One resample of a comparison: the drawn seeds and, per task and drawn seed (in draw order), the drawn test items.
     */
    private record Resample(int[] seeds, int[][][] items) {

        /** The data as they are: every seed once, every item once. */
        static Resample all(List<List<Evaluation>> a) {
            int seedCount = a.get(0).size();
            int[] seeds = new int[seedCount];
            Arrays.setAll(seeds, s -> s);
            int[][][] items = new int[a.size()][seedCount][];
            for (int t = 0; t < a.size(); t++) {
                for (int s = 0; s < seedCount; s++) {
                    items[t][s] = new int[a.get(t).get(s).items()];
                    Arrays.setAll(items[t][s], i -> i);
                }
            }
            return new Resample(seeds, items);
        }

        /** Draws the seeds, then per task and drawn seed the items, from {@code random}. */
        static Resample draw(List<List<Evaluation>> a, SplittableRandom random) {
            int seedCount = a.get(0).size();
            int[] seeds = new int[seedCount];
            for (int s = 0; s < seedCount; s++) {
                seeds[s] = random.nextInt(seedCount);
            }
            int[][][] items = new int[a.size()][seedCount][];
            for (int t = 0; t < a.size(); t++) {
                for (int s = 0; s < seedCount; s++) {
                    int count = a.get(t).get(seeds[s]).items();
                    items[t][s] = new int[count];
                    for (int i = 0; i < count; i++) {
                        items[t][s][i] = random.nextInt(count);
                    }
                }
            }
            return new Resample(seeds, items);
        }
    }

    /** Mean over tasks of the mean over the resample's seeds of the paired difference on its items. */
    private static double statistic(List<List<Evaluation>> a, List<List<Evaluation>> b, String metric,
            Resample resample) {
        double sum = 0;
        for (int t = 0; t < a.size(); t++) {
            double taskSum = 0;
            for (int s = 0; s < resample.seeds().length; s++) {
                int drawn = resample.seeds()[s];
                int[] items = resample.items()[t][s];
                taskSum += a.get(t).get(drawn).metric(metric, items) - b.get(t).get(drawn).metric(metric, items);
            }
            sum += taskSum / resample.seeds().length;
        }
        return sum / a.size();
    }

    private static void check(List<List<Evaluation>> a, List<List<Evaluation>> b) {
        if (a.isEmpty() || a.size() != b.size()) {
            throw new IllegalArgumentException("both methods need the same, non-empty list of tasks");
        }
        for (int t = 0; t < a.size(); t++) {
            if (a.get(t).isEmpty() || a.get(t).size() != b.get(t).size() || a.get(t).size() != a.get(0).size()) {
                throw new IllegalArgumentException("both methods need one evaluation per seed, the same seeds for"
                        + " every task");
            }
            for (int s = 0; s < a.get(t).size(); s++) {
                if (a.get(t).get(s).items() != b.get(t).get(s).items()) {
                    throw new IllegalArgumentException("task " + t + ", seed " + s + ": the methods were evaluated on"
                            + " different items (" + a.get(t).get(s).items() + " vs " + b.get(t).get(s).items() + ")");
                }
            }
        }
    }

    /** The {@code p} quantile of sorted values (linear interpolation between order statistics). */
    public static double quantile(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
