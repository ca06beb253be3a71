package org.icmlora.experiments.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.icmlora.engine.KitEngine;

/**
 * DJL's fp32 matrix-multiplication rate on this machine at the engine's thread count: the peer a network's GFLOP/s is
 * a fraction of. Measured, not looked up, because CPUs, thread counts and the machine's load differ between runs.
 *
 * @param wallGflops operations per second of wall-clock time
 * @param cpuGflops  operations per second of the process's CPU time (all threads): what the multiplication gets out
 *                   of the time it is actually given, less sensitive than the wall-clock rate to other processes
 */
public record MatmulRate(double wallGflops, double cpuGflops) {

    /** The rate of {@code [n, n] x [n, n]} ({@code 2 n^3} operations), the best of {@code repeats} after a warm-up. */
    public static MatmulRate measure(int n, int repeats) {
        try (NDManager manager = KitEngine.newManager()) {
            NDArray a = manager.randomUniform(-1f, 1f, new Shape(n, n));
            NDArray b = manager.randomUniform(-1f, 1f, new Shape(n, n));
            long bestWall = Long.MAX_VALUE;
            long bestCpu = Long.MAX_VALUE;
            for (int i = -1; i < repeats; i++) {
                long start = System.nanoTime();
                long cpuStart = MachineState.processCpuNanos();
                try (NDArray product = a.matMul(b)) {
                    product.getFloat(0, 0);
                }
                if (i >= 0) {
                    bestWall = Math.min(bestWall, System.nanoTime() - start);
                    bestCpu = Math.min(bestCpu, MachineState.processCpuNanos() - cpuStart);
                }
            }
            double operations = 2.0 * n * n * n;
            return new MatmulRate(operations / bestWall, operations / bestCpu);
        }
    }
}
