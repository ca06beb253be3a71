package org.icmlora.experiments.bench;

import java.util.Arrays;

/**
 * The middle value of a benchmark's repeated timings (the upper one of the two middle values for an even count): the
 * benchmarks report it because a busy machine's occasional stalls move a mean but hardly a median.
 */
final class Median {

    private Median() {}

    static double of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
