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
import java.util.Arrays;
import java.util.Locale;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.ProcessCpu;
import org.icmlora.generate.cvae.CvaeArchitecture;
import org.icmlora.generate.nn.TransposedConv1d;

/**
 * The kit's {@link TransposedConv1d} (all output phases as one convolution) against two peers on the transposed
 * convolutions of the paper's decoder (adapter length 16,384, batch 8): one convolution per phase, interleaved by a
 * stack (the kit's earlier version), and the textbook version (insert stride - 1 zeros between input samples,
 * pad, convolve with the flipped kernel). Times are the best of 7 after 2 warm-ups, forward alone and forward with
 * both gradients; the last column is the largest difference of the peers' outputs from the kit's. Run with
 * {@code bash environment/bench.sh transposed-conv [batch]}; ICMLORA_THREADS sets the threads.
 */
public final class TransposedConvBenchmark {

    private static final int RUNS = 7;

    private TransposedConvBenchmark() {}

    /** A transposed convolution {@code (x [B, in, L], w [in, out, K], b [out]) -> [B, out, L']}. */
    @FunctionalInterface
    private interface Implementation {
        NDArray apply(NDArray x, NDArray w, NDArray b, int stride, int padding, int outputPadding);
    }

    /** Entry point; optional argument: the batch size (default 8). */
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        KitEngine.init();
        System.out.println("Transposed conv benchmark: " + MachineState.describe());
        System.out.println("load average (1, 5, 15 min) at start: " + ProcessCpu.loadAverage());
        System.out.println("decoder layers of the paper's network at adapter length 16,384, batch " + batch
                + ", k7 s2 p3 op1; ms, best of " + RUNS);
        System.out.println();
        System.out.println("| layer [in -> out, length] | one conv fwd | per phase fwd | zero-insert fwd"
                + " | one conv fwd+bwd | per phase fwd+bwd | zero-insert fwd+bwd | max diff |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        CvaeArchitecture plan = CvaeArchitecture.plan(CvaeBenchmark.paperProfile().cvae(), 16_384);
        Implementation[] implementations = {TransposedConv1d::polyphase, TransposedConvBenchmark::perPhase,
            TransposedConvBenchmark::zeroInsertion};
        double[] totals = new double[2 * implementations.length];
        int length = plan.bottleneckLength();
        for (int j = 0; j < plan.depth(); j++) {
            int in = plan.decoderInChannels(j);
            int out = plan.decoderOutChannels(j);
            double[] times = new double[totals.length];
            float diff = 0;
            try (NDManager manager = KitEngine.newManager()) {
                KitEngine.seed(1);
                NDArray x = manager.randomNormal(new Shape(batch, in, length));
                NDArray w = manager.randomNormal(new Shape(in, out, CvaeArchitecture.KERNEL)).mul(0.05);
                NDArray b = manager.randomNormal(new Shape(out));
                NDArray reference = TransposedConv1d.polyphase(x, w, b, 2, 3, 1);
                for (int i = 0; i < implementations.length; i++) {
                    diff = Math.max(diff, implementations[i].apply(x, w, b, 2, 3, 1).sub(reference).abs().max()
                            .getFloat());
                    times[i] = time(manager, x, w, b, implementations[i], false);
                    times[implementations.length + i] = time(manager, x, w, b, implementations[i], true);
                }
            }
            for (int i = 0; i < totals.length; i++) {
                totals[i] += times[i];
            }
            System.out.printf(Locale.ROOT, "| %d -> %d, %,d | %s | %.1e |%n", in, out, length, cells(times), diff);
            length *= 2;
        }
        System.out.printf(Locale.ROOT, "| all %d layers | %s | |%n", plan.depth(), cells(totals));
        System.out.println();
        System.out.println("load average (1, 5, 15 min) at end: " + ProcessCpu.loadAverage());
    }

    private static String cells(double[] times) {
        return String.join(" | ", Arrays.stream(times).mapToObj(t -> String.format(Locale.ROOT, "%.2f", t))
                .toList());
    }

    /** Best of {@link #RUNS} timed runs after 2 warm-ups, in milliseconds. */
    private static double time(NDManager manager, NDArray x, NDArray w, NDArray b, Implementation implementation,
            boolean backward) {
        double best = Double.MAX_VALUE;
        for (int i = -2; i < RUNS; i++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray xs = x.duplicate();
                xs.attach(scope);
                NDArray ws = w.duplicate();
                ws.attach(scope);
                xs.setRequiresGradient(backward);
                ws.setRequiresGradient(backward);
                long start = System.nanoTime();
                if (backward) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(implementation.apply(xs, ws, b, 2, 3, 1).sum());
                    }
                    ws.getGradient().getFloat(0, 0, 0);
                } else {
                    implementation.apply(xs, ws, b, 2, 3, 1).sum().getFloat();
                }
                if (i >= 0) {
                    best = Math.min(best, (System.nanoTime() - start) / 1e6);
                }
            }
        }
        return best;
    }

    /**
     * One convolution per output phase (a sub-kernel of {@code ceil((K - phase) / stride)} taps on the padded
     * input), the phases stacked and interleaved, the padding cropped.
     */
    private static NDArray perPhase(NDArray x, NDArray w, NDArray b, int stride, int padding, int outputPadding) {
        long batch = x.getShape().get(0);
        int length = (int) x.getShape().get(2);
        long out = w.getShape().get(1);
        int k = (int) w.getShape().get(2);
        int outLength = TransposedConv1d.outputLength(length, k, stride, padding, outputPadding);
        int phaseLength = (outLength + padding + stride - 1) / stride;
        int maxTaps = (k + stride - 1) / stride;
        NDArray padded = x.pad(new Shape(maxTaps - 1, Math.max(0, phaseLength - length)), 0);
        NDList phases = new NDList(stride);
        for (int phase = 0; phase < stride; phase++) {
            int taps = (k - phase + stride - 1) / stride;
            NDArray taken = w.get(new NDIndex(":, :, {}::{}", phase, stride));
            taken.attach(x.getManager());
            NDArray sub = taken.flip(2).transpose(1, 0, 2);
            NDArray view = taps == maxTaps ? padded : padded.get(new NDIndex(":, :, {}:", maxTaps - taps));
            phases.add(Conv1d.conv1d(view, sub, b, new Shape(1), new Shape(0)).singletonOrThrow());
        }
        return NDArrays.stack(phases, 3).reshape(batch, out, (long) phaseLength * stride)
                .get(new NDIndex(":, :, {}:{}", padding, padding + outLength));
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
