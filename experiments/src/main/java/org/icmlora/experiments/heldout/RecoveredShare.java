package org.icmlora.experiments.heldout;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How much of what fine-tuning achieves a method achieves on tasks it was not trained on: the share of the oracle's
 * gain recovered, {@code (method - base) / (oracle - base)}, where base is the base model without an adapter and the
 * oracle the task's own fine-tuned adapter. 0 is no better than no adapter, 1 as good as fine-tuning, below 0 worse
 * than no adapter.
 *
 * <p>Per task the share is defined where the oracle improves on the base model ({@link #of}). Over held-out tasks
 * the share is the ratio of the summed gains, {@code sum(method - base) / sum(oracle - base)} ({@link #overTasks}):
 * one task whose oracle gains almost nothing cannot blow the estimate up, as a mean of per-task ratios would, and
 * tasks count by how much fine-tuning changes them. Its 95 % percentile bootstrap interval resamples tasks with
 * replacement and says how much the estimate depends on which tasks happened to be held out.
 */
public final class RecoveredShare {

    /** Bootstrap resamples per interval. */
    public static final int RESAMPLES = 10_000;
    /** Coverage of the intervals. */
    public static final double LEVEL = 0.95;

    /**
     * An estimate over tasks and its bootstrap interval.
     *
     * @param estimate the share over all the tasks (NaN where the oracle gains nothing over them)
     * @param low      lower end of the 95 % interval
     * @param high     upper end
     * @param tasks    how many tasks it is computed over
     */
    public record Interval(double estimate, double low, double high, int tasks) {}

    private RecoveredShare() {}

    /**
     * One task's share, {@code (method - base) / (oracle - base)}, for a metric where {@code higherIsBetter} says
     * which way is better; NaN where the oracle does not improve on the base model (no gain to recover).
     */
    public static double of(double method, double base, double oracle, boolean higherIsBetter) {
        double gain = higherIsBetter ? oracle - base : base - oracle;
        return gain > 0 ? (method - base) / (oracle - base) : Double.NaN;
    }

    /**
     * The share over tasks, {@code sum(method - base) / sum(oracle - base)} (one value per task in each array), with
     * its bootstrap interval over tasks drawn from {@code seed}.
     */
    public static Interval overTasks(double[] method, double[] base, double[] oracle, boolean higherIsBetter,
            long seed) {
        return ratioOfSums(differences(method, base), differences(oracle, base), higherIsBetter, seed);
    }

    /**
     * The share {@code first} recovers minus the share {@code second} recovers over the same tasks,
     * {@code sum(first - second) / sum(oracle - base)}, with its paired bootstrap interval over tasks.
     */
    public static Interval differenceOverTasks(double[] first, double[] second, double[] base, double[] oracle,
            boolean higherIsBetter, long seed) {
        return ratioOfSums(differences(first, second), differences(oracle, base), higherIsBetter, seed);
    }

    /**
     * {@code sum(numerators) / sum(gains)} with a percentile bootstrap over tasks; resamples whose summed gain is not
     * an improvement have no share and are left out of the interval (NaN if every one is).
     */
    private static Interval ratioOfSums(double[] numerators, double[] gains, boolean higherIsBetter, long seed) {
        int tasks = numerators.length;
        double estimate = ratio(Arrays.stream(numerators).sum(), Arrays.stream(gains).sum(), higherIsBetter);
        SplittableRandom random = new SplittableRandom(seed);
        double[] resampled = new double[RESAMPLES];
        int defined = 0;
        for (int b = 0; b < RESAMPLES; b++) {
            double numerator = 0;
            double gain = 0;
            for (int i = 0; i < tasks; i++) {
                int task = random.nextInt(tasks);
                numerator += numerators[task];
                gain += gains[task];
            }
            double share = ratio(numerator, gain, higherIsBetter);
            if (!Double.isNaN(share)) {
                resampled[defined++] = share;
            }
        }
        if (defined == 0) {
            return new Interval(estimate, Double.NaN, Double.NaN, tasks);
        }
        double[] shares = Arrays.copyOf(resampled, defined);
        Arrays.sort(shares);
        double alpha = (1 - LEVEL) / 2;
        return new Interval(estimate, quantile(shares, alpha), quantile(shares, 1 - alpha), tasks);
    }

    private static double ratio(double numerator, double gain, boolean higherIsBetter) {
        return (higherIsBetter ? gain > 0 : gain < 0) ? numerator / gain : Double.NaN;
    }

    private static double[] differences(double[] a, double[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("paired values of at least one task, got " + a.length + " and "
                    + b.length);
        }
        double[] difference = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            difference[i] = a[i] - b[i];
        }
        return difference;
    }

    /** The q-quantile of sorted values, interpolating linearly between order statistics. */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
