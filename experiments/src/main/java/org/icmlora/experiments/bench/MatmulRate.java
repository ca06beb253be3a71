package org.icmlora.experiments.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.icmlora.engine.KitEngine;

/**
 * DJL's fp32 matrix-multiplication rate on this machine at the engine's thread count: the peer a network's GFLOP/s is
 * a fraction of. Measured, not looked up, because CPUs, thread counts and the machine's load differ between runs.
 */
public final class MatmulRate {

    private MatmulRate() {}

    /** GFLOP/s of {@code [n, n] x [n, n]} ({@code 2 n^3} operations), the best of {@code repeats} after a warm-up. */
    public static double gflops(int n, int repeats) {
        try (NDManager manager = KitEngine.newManager()) {
            NDArray a = manager.randomUniform(-1f, 1f, new Shape(n, n));
            NDArray b = manager.randomUniform(-1f, 1f, new Shape(n, n));
            long best = Long.MAX_VALUE;
            for (int i = -1; i < repeats; i++) {
                long start = System.nanoTime();
                try (NDArray product = a.matMul(b)) {
                    product.getFloat(0, 0);
                }
                if (i >= 0) {
                    best = Math.min(best, System.nanoTime() - start);
                }
            }
            return 2.0 * n * n * n / best;
        }
    }
}
