package org.icmlora.experiments.bench;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.ProcessCpu;
import org.icmlora.experiments.KitConfig;
import org.icmlora.generate.core.CvaeConfig;
import org.icmlora.generate.core.TrainingSet;
import org.icmlora.generate.cvae.CvaeGenerator;
import org.icmlora.train.TrainingRun;

/**
 * Where a CVAE training step at the paper's network spends its time: trains {@link CvaeBenchmark}'s synthetic pairs
 * under PyTorch's profiler (after an unprofiled warm-up epoch) and prints the self time of the busiest operators and
 * the forward and backward time of every convolution, with its GFLOP/s (the backward pass counted as both gradients,
 * so the first layer's, which needs no input gradient, reads half its true rate). The profiler adds its own overhead
 * per operator, so read shares, not absolute times.
 *
 * <p>Run with {@code bash environment/bench.sh cvae-profile [--length 16384] [--batch 8] [--epochs 2]}.
 */
public final class CvaeProfile {

    private static final int OPERATORS_SHOWN = 15;

    private CvaeProfile() {}

    /** Entry point; see the class comment for the options. */
    public static void main(String[] args) {
        int length = 16_384;
        int batch = 8;
        int epochs = 2;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            int value;
            try {
                value = Integer.parseInt(args[i + 1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(args[i] + " needs a whole number, got '" + args[i + 1] + "'", e);
            }
            switch (args[i]) {
                case "--length" -> length = value;
                case "--batch" -> batch = value;
                case "--epochs" -> epochs = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --length N --batch N --epochs N");
            }
        }
        run(length, batch, epochs, System.out);
    }

    static void run(int length, int batch, int epochs, PrintStream out) {
        KitEngine.init();
        TrainingSet data = CvaeBenchmark.synthetic(length);
        KitConfig paper = CvaeBenchmark.paperProfile();
        CvaeConfig config = paper.cvae().withBatchSize(batch);
        TrainingRun run = TrainingRun.inMemory(paper.run().seed());
        try (CvaeGenerator warmUp = new CvaeGenerator(config.withEpochs(1))) {
            warmUp.fit(data, run);
        }
        double[] seconds = new double[1];
        OperatorProfile profile = OperatorProfile.record(() -> {
            try (CvaeGenerator generator = new CvaeGenerator(config.withEpochs(epochs))) {
                seconds[0] = generator.fit(data, run).phases().get(0).seconds();
            }
        });
        int steps = epochs * (int) Math.ceil(CvaeBenchmark.PAIRS / (double) batch);
        out.println("CVAE profile: " + MachineState.describe());
        out.println("load average (1, 5, 15 min): " + ProcessCpu.loadAverage());
        out.printf(Locale.ROOT, "adapter length %,d, batch %d: %d profiled steps in %.2f s, %.1f ms per step inside"
                + " PyTorch%n%n", length, batch, steps, seconds[0], profile.totalMicros() / 1e3 / steps);
        out.println("| operator (self time) | calls/step | ms/step | share |");
        out.println("|---|---|---|---|");
        for (OperatorProfile.Operator op : profile.operators().subList(0,
                Math.min(OPERATORS_SHOWN, profile.operators().size()))) {
            out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.1f %% |%n", op.name(), op.calls() / (double) steps,
                    op.micros() / 1e3 / steps, 100 * op.micros() / profile.totalMicros());
        }
        out.println();
        out.println("| convolution input [B, C, L] | weight [out, in, K] | forward ms/step | backward ms/step"
                + " | forward GFLOP/s | backward GFLOP/s |");
        out.println("|---|---|---|---|---|---|");
        List<OperatorProfile.Convolution> convolutions = profile.convolutions().stream()
                .sorted(Comparator.comparingDouble(c -> -(c.forwardMicros() + c.backwardMicros()))).toList();
        for (OperatorProfile.Convolution c : convolutions) {
            double flops = 2.0 * c.multiplyAdds() * Math.max(1, c.calls());
            out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %s | %s |%n", c.input(), c.weight(),
                    c.forwardMicros() / 1e3 / steps, c.backwardMicros() / 1e3 / steps,
                    rate(flops, c.forwardMicros()), rate(2 * flops, c.backwardMicros()));
        }
    }

    private static String rate(double flops, double micros) {
        return flops <= 0 || micros <= 0 ? "-" : String.format(Locale.ROOT, "%.1f", flops / micros / 1e3);
    }
}
