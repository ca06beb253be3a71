package org.icmlora.stats;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
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
        int tasks = a.size();
        int seeds = a.get(0).size();
        int[] allSeeds = new int[seeds];
        for (int s = 0; s < seeds; s++) {
            allSeeds[s] = s;
        }
        double estimate = statistic(a, b, metric, allSeeds, null);
        return percentile(estimate, random -> {
            int[] drawnSeeds = new int[seeds];
            for (int s = 0; s < seeds; s++) {
                drawnSeeds[s] = random.nextInt(seeds);
            }
            return statistic(a, b, metric, drawnSeeds, random);
        }).orElseThrow(() -> new IllegalArgumentException("the " + metric + " difference is undefined on every"
                + " resample of the test items"));
    }

    /**
     * The percentile interval around {@code estimate} of this bootstrap's replicates of a statistic: {@code replicate}
     * draws one resample from the random source it is given and returns the statistic on it, or NaN where the
     * statistic is undefined on that resample (left out). Empty when no replicate is defined.
     */
    public Optional<Interval> percentile(double estimate, ToDoubleFunction<SplittableRandom> replicate) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] replicates = new double[resamples];
        int defined = 0;
        for (int r = 0; r < resamples; r++) {
            double value = replicate.applyAsDouble(random);
            if (!Double.isNaN(value)) {
                replicates[defined++] = value;
            }
        }
        if (defined == 0) {
            return Optional.empty();
        }
        double[] sorted = Arrays.copyOf(replicates, defined);
        Arrays.sort(sorted);
        double tail = (1 - level) / 2;
        return Optional.of(new Interval(estimate, quantile(sorted, tail), quantile(sorted, 1 - tail), level));
    }

    /** Mean over tasks of the mean over the drawn seeds of the paired difference on drawn (or all) items. */
    private static double statistic(List<List<Evaluation>> a, List<List<Evaluation>> b, String metric, int[] seeds,
            SplittableRandom itemDraws) {
        double sum = 0;
        for (int t = 0; t < a.size(); t++) {
            double taskSum = 0;
            for (int s : seeds) {
                Evaluation ea = a.get(t).get(s);
                Evaluation eb = b.get(t).get(s);
                int[] items = new int[ea.items()];
                for (int i = 0; i < items.length; i++) {
                    items[i] = itemDraws == null ? i : itemDraws.nextInt(items.length);
                }
                taskSum += ea.metric(metric, items) - eb.metric(metric, items);
            }
            sum += taskSum / seeds.length;
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
