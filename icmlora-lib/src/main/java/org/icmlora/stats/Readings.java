package org.icmlora.stats;

import java.util.Locale;

/**
 * Sentences that read a comparison, generated from its interval so a notebook or README never claims more than the
 * data show: a difference is called a difference only when its interval excludes zero, and agreement with the paper
 * only when the paper's value lies inside the interval.
 */
public final class Readings {

    private Readings() {}

    /**
     * "ICM-LoRA vs Original LoRA, map50: -0.012 [-0.031, +0.006]: indistinguishable at this size." or "...: lower
     * (the interval excludes 0)." or "...: better ...". {@code higherIsBetter} says which direction is better.
     */
    public static String difference(String a, String b, String metric, Interval d, boolean higherIsBetter,
            int digits) {
        String verdict;
        if (!d.excludesZero()) {
            verdict = "indistinguishable at this size (the " + percent(d.level()) + " interval contains 0)";
        } else {
            boolean higher = d.low() > 0;
            verdict = (higher ? "higher" : "lower") + ", so " + a + " is " + (higher == higherIsBetter ? "better"
                    : "worse") + " (the " + percent(d.level()) + " interval excludes 0)";
        }
        return a + " vs " + b + ", " + metric + ": " + d.format(digits) + ": " + verdict + ".";
    }

    /**
     * How a measured difference reads against the paper's difference of the same comparison: "consistent with the
     * paper's +0.00" when the paper's value is inside the interval, else "unlike the paper's +0.45".
     */
    public static String againstPaper(Interval measured, double paperDifference, int digits) {
        String paper = String.format(Locale.ROOT, "%+." + digits + "f", paperDifference);
        return measured.contains(paperDifference) ? "consistent with the paper's " + paper
                : "unlike the paper's " + paper + " (outside the interval)";
    }

    /** {@link #againstPaper} as a sentence of its own, e.g. "Consistent with the paper's +0.004." */
    public static String againstPaperSentence(Interval measured, double paperDifference, int digits) {
        String clause = againstPaper(measured, paperDifference, digits);
        return Character.toUpperCase(clause.charAt(0)) + clause.substring(1) + ".";
    }

    private static String percent(double level) {
        return Math.round(level * 100) + " %";
    }
}
