package org.icmlora.stats;

import java.util.Arrays;
import java.util.Locale;

/**
 * A metric's spread over the seeds of a run: mean, sample standard deviation (n - 1), and the extremes.
 *
 * @param mean the mean
 * @param sd   the sample standard deviation (0 for one value)
 * @param min  the smallest value
 * @param max  the largest value
 * @param n    how many values
 */
public record Summary(double mean, double sd, double min, double max, int n) {

    /** The summary of {@code values} (at least one). */
    public static Summary of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a summary needs at least one value");
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        double sd = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0;
        return new Summary(mean, sd, Arrays.stream(values).min().orElseThrow(),
                Arrays.stream(values).max().orElseThrow(), values.length);
    }

    /** "0.512 ± 0.031" with {@code digits} decimals. */
    public String format(int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f ± %." + digits + "f", mean, sd);
    }
}
