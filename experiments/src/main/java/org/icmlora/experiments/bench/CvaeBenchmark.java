package org.icmlora.experiments.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.icmlora.config.Settings;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.ProcessCpu;
import org.icmlora.engine.Profile;
import org.icmlora.experiments.KitConfig;
import org.icmlora.generate.core.CvaeConfig;
import org.icmlora.generate.core.TrainingPair;
import org.icmlora.generate.core.TrainingSet;
import org.icmlora.generate.cvae.CvaeArchitecture;
import org.icmlora.generate.cvae.CvaeGenerator;
import org.icmlora.lora.LoraLayout;
import org.icmlora.train.TrainingRun;

/**
 * The CVAE at the paper's network (depth 12, latent 256, channels 8..256) on synthetic adapters of 16,384 and 65,536
 * values: training throughput at batch sizes 2 and 8, and the latency of generating one adapter.
 *
 * <p>Training: each case trains a fresh generator on 8 synthetic pairs (task vectors of 384 values, as MiniLM's), one
 * epoch as a warm-up, then the best of several fits of a few epochs; throughput is pairs processed over the fit's
 * training-loop time (forward, loss, backward and AdamW step). GFLOP/s counts the network's convolutions and linear
 * layers analytically ({@link CvaeFlops}) and is shown as a fraction of DJL's fp32 matrix-multiplication rate
 * ({@link MatmulRate}, n = 2048) measured at the same thread count just before the case, so the fraction holds even
 * when other processes load the machine; the same fraction by CPU time (the process's, all threads; the fit's CPU time
 * includes the network's initialisation) is steadier still, as other processes take wall-clock time, not CPU time.
 * Generation: the best and median latency of {@code generate(task, 1)} (decode, crop, de-normalise) over repeated
 * calls on the last trained generator.
 *
 * <p>Run with {@code bash environment/bench.sh cvae [--epochs 3] [--repeats 2] [--lengths 16384,65536]
 * [--batches 2,8] [--generations 20]}; ICMLORA_THREADS sets the threads.
 */
public final class CvaeBenchmark {

    static final int PAIRS = 8;
    private static final int CONDITION = 384;
    private static final int MATMUL_SIZE = 2048;

    private CvaeBenchmark() {}

    /** The paper's CVAE and the run seed, as the full profile (experiments/profiles/full.conf) sets them. */
    static KitConfig paperProfile() {
        return KitConfig.of(Settings.read(KitConfig.profileFile(Profile.FULL)));
    }

    /** What to run. */
    record Options(int epochs, int repeats, int[] lengths, int[] batches, int generations) {

        static Options parse(String... args) {
            Options s = new Options(3, 2, new int[] {16_384, 65_536}, new int[] {2, 8}, 20);
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String v = args[i + 1];
                s = switch (args[i]) {
                    case "--epochs" -> new Options(positive(args[i], v), s.repeats, s.lengths, s.batches,
                            s.generations);
                    case "--repeats" -> new Options(s.epochs, positive(args[i], v), s.lengths, s.batches,
                            s.generations);
                    case "--lengths" -> new Options(s.epochs, s.repeats, list(args[i], v), s.batches, s.generations);
                    case "--batches" -> new Options(s.epochs, s.repeats, s.lengths, list(args[i], v), s.generations);
                    case "--generations" -> new Options(s.epochs, s.repeats, s.lengths, s.batches,
                            positive(args[i], v));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; options: --epochs N --repeats N --lengths L1,L2 --batches B1,B2 --generations N");
                };
            }
            return s;
        }

        private static int[] list(String option, String value) {
            return Arrays.stream(value.split(",")).mapToInt(v -> positive(option, v)).toArray();
        }

        private static int positive(String option, String value) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " needs whole numbers >= 1, got '" + value + "'");
        }
    }

    /** Entry point; see the class comment for the options. */
    public static void main(String[] args) {
        run(Options.parse(args), System.out);
    }

    static void run(Options options, PrintStream out) {
        KitEngine.init();
        KitConfig profile = paperProfile();
        CvaeConfig paper = profile.cvae();
        TrainingRun run = TrainingRun.inMemory(profile.run().seed());
        out.println("CVAE benchmark: " + MachineState.describe());
        out.println("load average (1, 5, 15 min) at start: " + ProcessCpu.loadAverage());
        out.printf(Locale.ROOT, "network: depth %d, latent %d, channels %d..%d, conditions of %d values, %d training"
                + " pairs; %d epochs per fit, best of %d fits after a 1-epoch warm-up%n", paper.depth(),
                paper.latentDim(), paper.baseChannels(), paper.maxChannels(), CONDITION, PAIRS, options.epochs(),
                options.repeats());
        out.println();
        out.println("| adapter length | batch | samples/s | s/step | CPU s/step | GFLOP/sample | GFLOP/s"
                + " | matmul GFLOP/s | of matmul | of matmul, CPU time | peak RSS MiB |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        List<String> generation = new ArrayList<>();
        for (int length : options.lengths()) {
            TrainingSet data = synthetic(length);
            CvaeArchitecture plan = CvaeArchitecture.plan(paper, data.adapterLength());
            CvaeFlops flops = CvaeFlops.of(plan, paper.latentDim(), CONDITION);
            CvaeGenerator trained = null;
            for (int batch : options.batches()) {
                if (trained != null) {
                    trained.close();
                }
                CvaeConfig config = paper.withBatchSize(batch);
                MatmulRate matmul = MatmulRate.measure(MATMUL_SIZE, 3);
                try (CvaeGenerator warmUp = new CvaeGenerator(config.withEpochs(1))) {
                    warmUp.fit(data, run);
                }
                double seconds = Double.MAX_VALUE;
                double cpuSeconds = Double.MAX_VALUE;
                for (int r = 0; r < options.repeats(); r++) {
                    CvaeGenerator generator = new CvaeGenerator(config.withEpochs(options.epochs()));
                    long cpuStart = MachineState.processCpuNanos();
                    double loopSeconds = generator.fit(data, run).phases().get(0).seconds();
                    cpuSeconds = Math.min(cpuSeconds, (MachineState.processCpuNanos() - cpuStart) / 1e9);
                    seconds = Math.min(seconds, loopSeconds);
                    if (trained != null) {
                        trained.close();
                    }
                    trained = generator;
                }
                double samples = options.epochs() * PAIRS;
                double gflops = samples * flops.training() / seconds / 1e9;
                double cpuGflops = samples * flops.training() / cpuSeconds / 1e9;
                double steps = options.epochs() * Math.ceil(PAIRS / (double) batch);
                out.printf(Locale.ROOT, "| %,d | %d | %.2f | %.3f | %.3f | %.2f | %.1f | %.1f | %.0f %% | %.0f %%"
                        + " | %,d |%n", length, batch, samples / seconds, seconds / steps, cpuSeconds / steps,
                        flops.training() / 1e9, gflops, matmul.wallGflops(), 100 * gflops / matmul.wallGflops(),
                        100 * cpuGflops / matmul.cpuGflops(), MachineState.peakResidentMiB());
            }
            if (trained != null) {
                generation.add(generationRow(trained, data, flops, options.generations()));
                trained.close();
            }
        }
        out.println();
        out.println("generating one adapter (decode, crop, de-normalise), " + options.generations() + " calls:");
        out.println("| adapter length | best ms | median ms | decoder GFLOP | GFLOP/s at best |");
        out.println("|---|---|---|---|---|");
        generation.forEach(out::println);
        out.println();
        out.println("load average (1, 5, 15 min) at end: " + ProcessCpu.loadAverage());
    }

    private static String generationRow(CvaeGenerator generator, TrainingSet data, CvaeFlops flops, int calls) {
        float[] task = data.taskVector(data.taskIds().get(0));
        generator.generate(task, 1, 0); // warm-up
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            nanos[i] = generator.generate(task, 1, i + 1).nanos();
        }
        Arrays.sort(nanos);
        return String.format(Locale.ROOT, "| %,d | %.1f | %.1f | %.2f | %.1f |", data.adapterLength(), nanos[0] / 1e6,
                nanos[calls / 2] / 1e6, flops.generation() / 1e9, flops.generation() / (double) nanos[0]);
    }

    /**
     * Adapters of {@code length} values: {@code ceil(length / 16384)} square layers at rank 2 (4096 x 4096 for a
     * multiple of 16,384), and two tasks of 4 random checkpoints each.
     */
    static TrainingSet synthetic(int length) {
        int count = (length + 16_383) / 16_384;
        int width = length / (4 * count); // rank 2: A [2, width] and B [width, 2]
        if (4 * count * width != length) {
            throw new IllegalArgumentException("adapter length " + length + " is not a multiple of 4 x "
                    + count + " (rank-2 square layers)");
        }
        List<LoraLayout.Layer> layers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            layers.add(new LoraLayout.Layer("layers." + i, width, width));
        }
        LoraLayout layout = new LoraLayout(2, 1f, layers);
        Random random = new Random(1);
        List<TrainingPair> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            float[] c = new float[CONDITION];
            float[] v = new float[layout.size()];
            for (int j = 0; j < c.length; j++) {
                c[j] = (i % 2) + j / (float) CONDITION;
            }
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) random.nextGaussian() * 0.01f;
            }
            pairs.add(new TrainingPair("task" + (i % 2), c, v));
        }
        return new TrainingSet(layout, pairs);
    }
}
