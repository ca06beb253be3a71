package org.icmlora.generate.cvae;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.icmlora.engine.KitEngine;
import org.icmlora.generate.core.AdapterNormalizer;
import org.icmlora.generate.core.CvaeConfig;
import org.icmlora.generate.core.FitReport;
import org.icmlora.generate.core.TrainingPair;
import org.icmlora.generate.core.TrainingSet;
import org.icmlora.lora.LoraLayout;
import org.icmlora.train.TrainingRun;

/**
 * Prints CVAE training throughput (samples per second) and memory at the paper's network (depth 12, latent 256,
 * channels 8..256) for adapter lengths 16,384 and 65,536 and batch sizes 2 and 8, with the thread count. Each case
 * trains a fresh generator on 8 synthetic pairs (task vectors of 384 values, as MiniLM's) after a one-epoch warm-up;
 * throughput is pairs processed divided by the fit's wall time. Memory: JVM heap in use, and the process's resident
 * set now (VmRSS) and at its peak so far (VmHWM, monotone over the run) from /proc/self/status.
 *
 * <p>Run: {@code java -cp <classpath> org.icmlora.generate.cvae.CvaeBenchmark [epochs]} (default 3 epochs per case);
 * ICMLORA_THREADS sets the thread count.
 */
public final class CvaeBenchmark {

    private static final int PAIRS = 8;
    private static final int CONDITION = 384;
    /** The paper's CVAE (experiments/profiles/full.conf). */
    private static final CvaeConfig PAPER = new CvaeConfig(12, 256, 8, 256, 0.005f, 2000, 2, 2e-4f, 0f,
            CvaeConfig.Schedule.CONSTANT, AdapterNormalizer.Scheme.PER_TENSOR);

    private CvaeBenchmark() {}

    /** Entry point; optional argument: epochs per case. */
    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        KitEngine.init();
        System.out.println("CVAE training benchmark, " + KitEngine.describe() + ", depth 12, latent 256, "
                + PAIRS + " pairs, " + epochs + " epochs per case");
        System.out.println("adapter length | batch | samples/s | s/step | heap MiB | RSS MiB | peak RSS MiB");
        for (int length : new int[] {16_384, 65_536}) {
            TrainingSet data = synthetic(length);
            for (int batch : new int[] {2, 8}) {
                CvaeConfig config = PAPER.withBatchSize(batch);
                try (CvaeGenerator warmUp = new CvaeGenerator(config.withEpochs(1))) {
                    warmUp.fit(data, TrainingRun.inMemory(1));
                }
                FitReport report;
                try (CvaeGenerator generator = new CvaeGenerator(config.withEpochs(epochs))) {
                    report = generator.fit(data, TrainingRun.inMemory(1));
                }
                Runtime rt = Runtime.getRuntime();
                double steps = (double) epochs * PAIRS / batch;
                System.out.printf(Locale.ROOT, "%d | %d | %.2f | %.2f | %d | %d | %d%n", length, batch,
                        epochs * PAIRS / report.seconds(), report.seconds() / steps,
                        (rt.totalMemory() - rt.freeMemory()) >> 20, procStatus("VmRSS"), procStatus("VmHWM"));
            }
        }
    }

    /** {@code length / 16384} layers of 4096 x 4096 at rank 2, and two tasks of 4 random checkpoints. */
    private static TrainingSet synthetic(int length) {
        List<LoraLayout.Layer> layers = new ArrayList<>();
        for (int i = 0; i < length / 16_384; i++) {
            layers.add(new LoraLayout.Layer("layers." + i, 4096, 4096));
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

    /** A memory figure in MiB from /proc/self/status, or -1 where that file does not exist. */
    private static long procStatus(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
