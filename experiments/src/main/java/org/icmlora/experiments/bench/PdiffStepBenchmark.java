package org.icmlora.experiments.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.ProcessCpu;
import org.icmlora.engine.Profile;
import org.icmlora.experiments.KitConfig;
import org.icmlora.experiments.RunContext;
import org.icmlora.generate.core.PdiffConfig;
import org.icmlora.generate.pdiff.LatentDenoiser;
import org.icmlora.generate.pdiff.ParameterAutoencoder;
import org.icmlora.lora.LoraAdapters;
import org.icmlora.models.detector.PromptDetector;
import org.icmlora.models.gpt.Gpt;
import org.icmlora.store.ArtifactStore;
import org.icmlora.train.AdamW;
import org.icmlora.train.TrainableParameters;

/**
 * Where an optimiser step of COND P-DIFF, the costliest generator of the quick reproduction, spends its time: the
 * forward and backward pass against the AdamW update, in each of its two phases (the parameter autoencoder, the
 * latent denoiser), at a profile's sizes (default quick) for both tracks: the adapter length P of the track's model at
 * {@code lora.rank}, conditions of the model's width (Eq. 1's hidden state), batches of {@code pdiff.batchSize}. The
 * peer is DJL's fused {@code adamUpdate} on the same weights, timed in the same run. Random inputs: a step's time does
 * not depend on the values.
 *
 * <pre>
 *   bash environment/bench.sh pdiff-step [profile] [steps]
 * </pre>
 */
public final class PdiffStepBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int WARM_UP = 10;

    private PdiffStepBenchmark() {}

    public static void main(String[] args) {
        Profile profile = Profile.parse(args.length > 0 ? args[0] : "quick", "profile");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        KitEngine.init();
        Path scratch = Path.of(System.getProperty("java.io.tmpdir"));
        KitConfig config = RunContext.of(profile, List.of(), new ArtifactStore(scratch.resolve("icmlora-bench")),
                scratch).config();
        PdiffConfig pdiff = config.pdiff();
        System.out.printf(Locale.ROOT, "COND P-DIFF optimiser steps, profile %s, batch %d, %d steps per row after %d of"
                + " warm-up; %s; load average %s%n", profile.id(), pdiff.batchSize(), steps, WARM_UP,
                MachineState.describe(), ProcessCpu.loadAverage());
        System.out.println("| track | P | condition | phase | weights | forward + backward ms CPU | AdamW ms CPU |"
                + " AdamW share | DJL adamUpdate ms CPU | kit / DJL |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        int rank = config.lora().rank();
        measure("detection", LoraAdapters.layoutFor(new PromptDetector(config.detection().detector()),
                config.lora().config(rank, config.detection().loraTargets())).size(),
                config.detection().detector().dim(), pdiff, steps);
        measure("language", LoraAdapters.layoutFor(new Gpt(config.language().model()),
                config.lora().config(rank, config.language().loraTargets())).size(),
                config.language().model().width(), pdiff, steps);
        System.out.println("load average at the end: " + ProcessCpu.loadAverage());
    }

    private static void measure(String track, int adapterLength, int conditionLength, PdiffConfig config, int steps) {
        int batch = config.batchSize();
        try (NDManager manager = KitEngine.newManager()) {
            ParameterAutoencoder autoencoder = new ParameterAutoencoder(config, adapterLength);
            LatentDenoiser denoiser = new LatentDenoiser(config, autoencoder.latentSize(), conditionLength);
            KitEngine.seeded(1, () -> {
                autoencoder.initialize(manager, DataType.FLOAT32, new Shape(2, autoencoder.paddedLength()));
                denoiser.initialize(manager, DataType.FLOAT32, new Shape(2, autoencoder.latentSize()),
                        new Shape(2, config.timeEmbedding()), new Shape(2, conditionLength));
            });
            ParameterStore store = new ParameterStore(manager, false);
            Random random = new Random(1);
            String sizes = "| " + track + " | " + adapterLength + " | " + conditionLength + " | ";
            row(sizes + "autoencoder", autoencoder, config, steps, manager, scope -> autoencoder.trainingLoss(store,
                    scope.randomNormal(new Shape(batch, autoencoder.paddedLength())), config.inputNoise(),
                    config.latentNoise(), random));
            row(sizes + "denoiser", denoiser, config, steps, manager, scope -> denoiser.forward(store, new NDList(
                    scope.randomNormal(new Shape(batch, autoencoder.latentSize())),
                    scope.randomNormal(new Shape(batch, config.timeEmbedding())),
                    scope.randomNormal(new Shape(batch, conditionLength))), true).singletonOrThrow().square().mean());
        }
    }

    /** Times {@code steps} steps of {@code loss}'s backward pass and the kit's AdamW, then DJL's update. */
    private static void row(String label, Block network, PdiffConfig config, int steps, NDManager manager,
            Function<NDManager, NDArray> loss) {
        Map<String, Parameter> weights = TrainableParameters.of(network);
        AdamW optimizer = new AdamW(config.learningRate(), config.weightDecay(), manager);
        double[] passes = new double[steps];
        double[] updates = new double[steps];
        for (int s = -WARM_UP; s < steps; s++) {
            try (NDManager scope = manager.newSubManager()) {
                long start = THREADS.getCurrentThreadCpuTime();
                try (GradientCollector collector = KitEngine.newGradientCollector()) {
                    collector.backward(loss.apply(scope));
                }
                long backwardDone = THREADS.getCurrentThreadCpuTime();
                optimizer.step(weights);
                if (s >= 0) {
                    passes[s] = (backwardDone - start) / 1e6;
                    updates[s] = (THREADS.getCurrentThreadCpuTime() - backwardDone) / 1e6;
                }
            }
        }
        double fused = fusedUpdateMillis(weights.values(), config, steps, manager);
        long count = weights.values().stream().mapToLong(p -> p.getArray().size()).sum();
        double pass = Median.of(passes);
        double update = Median.of(updates);
        System.out.printf(Locale.ROOT, "%s | %,d in %d tensors | %.2f | %.2f | %.0f %% | %.2f | %.2f |%n", label, count,
                weights.size(), pass, update, 100 * update / (pass + update), fused, update / fused);
    }

    /** Median CPU milliseconds of DJL's fused AdamW update over every weight (zero moments of its own). */
    private static double fusedUpdateMillis(Collection<Parameter> weights, PdiffConfig config, int steps,
            NDManager manager) {
        List<PtNDArray[]> state = new ArrayList<>(); // weight, gradient, first and second moment
        for (Parameter p : weights) {
            NDArray w = p.getArray();
            state.add(new PtNDArray[] {(PtNDArray) w, (PtNDArray) w.getGradient(),
                    (PtNDArray) manager.zeros(w.getShape()), (PtNDArray) manager.zeros(w.getShape())});
        }
        double[] millis = new double[steps];
        for (int s = -WARM_UP; s < steps; s++) {
            long start = THREADS.getCurrentThreadCpuTime();
            for (PtNDArray[] arrays : state) {
                JniUtils.adamUpdate(arrays[0], arrays[1], arrays[2], arrays[3], config.learningRate(), 1f,
                        config.weightDecay(), 1f, -1f, 0.9f, 0.999f, 1e-8f, true);
            }
            if (s >= 0) {
                millis[s] = (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
            }
        }
        return Median.of(millis);
    }
}
