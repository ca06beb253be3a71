package org.icmlora.experiments.heldout;

import java.util.Arrays;
import java.util.Optional;
import org.icmlora.stats.Bootstrap;
import org.icmlora.stats.Interval;

/**
 * How much of what fine-tuning achieves a method achieves on tasks it was not trained on: the share of the oracle's
 * gain recovered, {@code (method - base) / (oracle - base)}, where base is the base model without an adapter and the
 * oracle the task's own fine-tuned adapter. 0 is no better than no adapter, 1 as good as fine-tuning, below 0 worse
 * than no adapter.
 *
 * <p>Per task the share is defined where the oracle improves on the base model ({@link #of}). Over held-out tasks
 * the share is the ratio of the summed gains, {@code sum(method - base) / sum(oracle - base)} ({@link #overTasks}):
 * one task whose oracle gains almost nothing cannot blow the estimate up, as a mean of per-task ratios would, and
 * tasks count by how much fine-tuning changes them. Its percentile bootstrap interval resamples the tasks with
 * replacement and says how much the estimate depends on which tasks happened to be held out.
 */
public final class RecoveredShare {

    private final Bootstrap bootstrap;

    /** Intervals from the resamples, level and random source of {@code bootstrap}. */
    public RecoveredShare(Bootstrap bootstrap) {
        this.bootstrap = bootstrap;
    }

    /**
     * One task's share, {@code (method - base) / (oracle - base)}, for a metric where {@code higherIsBetter} says
     * which way is better; NaN where the oracle does not improve on the base model (no gain to recover).
     */
    public static double of(double method, double base, double oracle, boolean higherIsBetter) {
        double gain = higherIsBetter ? oracle - base : base - oracle;
        return gain > 0 ? (method - base) / (oracle - base) : Double.NaN;
    }

    /**
     * The share over tasks, {@code sum(method - base) / sum(oracle - base)} (one value per task in each array); NaN
     * where the oracle gains nothing over the tasks.
     */
    public static double estimate(double[] method, double[] base, double[] oracle, boolean higherIsBetter) {
        return ratio(Arrays.stream(differences(method, base)).sum(), Arrays.stream(differences(oracle, base)).sum(),
                higherIsBetter);
    }

    /**
     * {@link #estimate} with its bootstrap interval over tasks; empty where the oracle gains nothing over the tasks.
     */
    public Optional<Interval> overTasks(double[] method, double[] base, double[] oracle, boolean higherIsBetter) {
        return ratioOfSums(differences(method, base), differences(oracle, base), higherIsBetter);
    }

    /**
     * The share {@code first} recovers minus the share {@code second} recovers over the same tasks,
     * {@code sum(first - second) / sum(oracle - base)}, with its paired bootstrap interval over tasks.
     */
    public Optional<Interval> differenceOverTasks(double[] first, double[] second, double[] base, double[] oracle,
            boolean higherIsBetter) {
        return ratioOfSums(differences(first, second), differences(oracle, base), higherIsBetter);
    }

    /**
     * {@code sum(numerators) / sum(gains)} with a percentile bootstrap over tasks; a resample whose summed gain is not
     * an improvement has no share and is left out of the interval.
     */
    private Optional<Interval> ratioOfSums(double[] numerators, double[] gains, boolean higherIsBetter) {
        double estimate = ratio(Arrays.stream(numerators).sum(), Arrays.stream(gains).sum(), higherIsBetter);
        if (Double.isNaN(estimate)) {
            return Optional.empty();
        }
        int tasks = numerators.length;
        return bootstrap.percentile(estimate, random -> {
            double numerator = 0;
            double gain = 0;
            for (int i = 0; i < tasks; i++) {
                int task = random.nextInt(tasks);
                numerator += numerators[task];
                gain += gains[task];
            }
            return ratio(numerator, gain, higherIsBetter);
        });
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
}
