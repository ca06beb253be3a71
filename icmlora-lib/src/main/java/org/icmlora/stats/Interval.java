package org.icmlora.stats;

import java.util.Locale;

/**
 * An estimate with its confidence interval, e.g. a difference between two methods with the 95 % interval of a
 * bootstrap.
 *
 * @param estimate the point estimate
 * @param low      the lower bound
 * @param high     the upper bound
 * @param level    the confidence level (0.95)
 */
public record Interval(double estimate, double low, double high, double level) {

    public Interval {
        if (!(low <= high) || !(level > 0 && level < 1)) {
            throw new IllegalArgumentException("an interval needs low <= high and a level in (0, 1), got [" + low
                    + ", " + high + "] at " + level);
        }
    }

    /** True when {@code value} lies inside the interval. */
    public boolean contains(double value) {
        return low <= value && value <= high;
    }

    /** True when the whole interval is above 0 or below 0: the data tell the sign of the difference. */
    public boolean excludesZero() {
        return !contains(0);
    }

    /** "+0.012 [-0.004, +0.030]" with {@code digits} decimals. */
    public String format(int digits) {
        String f = "%+." + digits + "f";
        return String.format(Locale.ROOT, f + " [" + f + ", " + f + "]", estimate, low, high);
    }
}
