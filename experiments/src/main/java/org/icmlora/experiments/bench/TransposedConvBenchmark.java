package org.icmlora.experiments.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.GradientCollector;
import java.util.Locale;
import org.icmlora.engine.KitEngine;
import org.icmlora.generate.nn.TransposedConv1d;

/**
 * Prints the cost of the polyphase {@link TransposedConv1d} against the textbook version (insert stride - 1 zeros
 * between input samples, pad, then an ordinary convolution with the flipped kernel) on CVAE decoder layer shapes,
 * forward and forward + backward (medians of 5 after 2 warm-ups), and the largest difference between the two
 * outputs. Run with {@code bash environment/bench.sh transposed-conv}; ICMLORA_THREADS sets the threads.
 */
public final class TransposedConvBenchmark {

    private TransposedConvBenchmark() {}

    /** Entry point; no arguments. */
    public static void main(String[] args) {
        KitEngine.init();
        System.out.println("Transposed conv benchmark: " + MachineState.describe());
        System.out.println("load average (1, 5, 15 min) at start: " + MachineState.loadAverage());
        System.out.println("layer (batch, in->out, L -> 2L, k7 s2 p3 op1) | polyphase fwd ms | zero-insert fwd ms |"
                + " polyphase fwd+bwd ms | zero-insert fwd+bwd ms | max |diff|");
        int[][] shapes = {{2, 256, 256, 1024}, {8, 256, 256, 1024}, {2, 16, 8, 16384}, {8, 16, 8, 16384},
            {2, 8, 8, 32768}};
        for (int[] s : shapes) {
            run(s[0], s[1], s[2], s[3]);
        }
        System.out.println("load average (1, 5, 15 min) at end: " + MachineState.loadAverage());
    }

    private static void run(int batch, int in, int out, int length) {
        try (NDManager manager = KitEngine.newManager()) {
            KitEngine.seed(1);
            NDArray x = manager.randomNormal(new Shape(batch, in, length));
            NDArray w = manager.randomNormal(new Shape(in, out, 7)).mul(0.05);
            NDArray b = manager.zeros(new Shape(out));
            float diff = apply(x, w, b, true)
                    .sub(zeroInsertion(x, w, b, 2, 3, 1)).abs().max().getFloat();
            double polyForward = time(manager, x, w, b, true, false);
            double zeroForward = time(manager, x, w, b, false, false);
            double polyBoth = time(manager, x, w, b, true, true);
            double zeroBoth = time(manager, x, w, b, false, true);
            System.out.printf(Locale.ROOT, "(%d, %d->%d, %d) | %.1f | %.1f | %.1f | %.1f | %.1e%n", batch, in, out,
                    length, polyForward, zeroForward, polyBoth, zeroBoth, diff);
        }
    }

    /** Median of 5 timed runs after 2 warm-ups, in milliseconds. */
    private static double time(NDManager manager, NDArray x, NDArray w, NDArray b, boolean polyphase,
            boolean backward) {
        double[] times = new double[5];
        for (int i = -2; i < times.length; i++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray xs = x.duplicate();
                xs.attach(scope);
                NDArray ws = w.duplicate();
                ws.attach(scope);
                ws.setRequiresGradient(backward);
                long start = System.nanoTime();
                if (backward) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(apply(xs, ws, b, polyphase).sum());
                    }
                    ws.getGradient().getFloat(0, 0, 0);
                } else {
                    apply(xs, ws, b, polyphase).sum().getFloat();
                }
                if (i >= 0) {
                    times[i] = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        java.util.Arrays.sort(times);
        return times[times.length / 2];
    }

    private static NDArray apply(NDArray x, NDArray w, NDArray b, boolean polyphase) {
        return polyphase ? TransposedConv1d.polyphase(x, w, b, 2, 3, 1) : zeroInsertion(x, w, b, 2, 3, 1);
    }

    /** The textbook transposed convolution: dilate the input with zeros, pad, convolve with the flipped kernel. */
    private static NDArray zeroInsertion(NDArray x, NDArray w, NDArray b, int stride, int padding, int outputPadding) {
        long batch = x.getShape().get(0);
        long in = x.getShape().get(1);
        long length = x.getShape().get(2);
        int k = (int) w.getShape().get(2);
        NDList slots = new NDList(x);
        for (int i = 1; i < stride; i++) {
            slots.add(x.zerosLike());
        }
        NDArray dilated = NDArrays.stack(slots, 3).reshape(batch, in, length * stride)
                .get(new NDIndex(":, :, :{}", (length - 1) * stride + 1));
        NDArray padded = dilated.pad(new Shape(k - 1 - padding, k - 1 - padding + outputPadding), 0);
        NDArray kernel = w.flip(2).transpose(1, 0, 2);
        kernel.attach(x.getManager());
        return Conv1d.conv1d(padded, kernel, b, new Shape(1), new Shape(0)).singletonOrThrow();
    }
}
