package org.icmlora.engine;

import java.util.Random;

/**
 * The kit's one shuffle of indices (batch orders, shuffled assignments): Fisher-Yates from the last position down,
 * one {@code nextInt(i + 1)} per position, so a given {@link Random} always gives the same order.
 */
public final class Shuffle {

    private Shuffle() {}

    /** The numbers {@code 0 .. n-1} in a uniformly random order drawn from {@code random}. */
    public static int[] permutation(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
