package org.icmlora.experiments.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.ProcessCpu;
import org.icmlora.engine.Profile;
import org.icmlora.experiments.KitConfig;
import org.icmlora.experiments.RunContext;
import org.icmlora.lora.LoraAdapters;
import org.icmlora.models.detector.DetectionLoss;
import org.icmlora.models.detector.PromptDetector;
import org.icmlora.models.gpt.Gpt;
import org.icmlora.train.AdamW;
import org.icmlora.train.TrainableParameters;

/**
 * What training the LoRA series of k tasks in one batched graph could save: one LoRA training step (forward, loss,
 * backward, AdamW) of the detector and of the GPT at a profile's sizes (default quick) on a batch of k·B examples
 * against k steps on B examples. A batched trainer would run the first (each task's B rows through its own adapter,
 * {@code LoraLinear.attachStack}, with the adapters' few extra products), the kit runs the second; the ratio bounds
 * the speed-up from above. Random inputs: the time of a step does not depend on the values.
 *
 * <pre>
 *   bash environment/bench.sh batched-training [profile] [k] [steps]
 * </pre>
 */
public final class BatchedTrainingBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private BatchedTrainingBenchmark() {}

    /** One training step on a batch of the given size. */
    private interface Step {
        void run(int batch, NDManager scope);
    }

    public static void main(String[] args) {
        Profile profile = Profile.parse(args.length > 0 ? args[0] : "quick", "profile");
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        KitEngine.init();
        KitConfig config = RunContext.of(profile, List.of(), new org.icmlora.store.ArtifactStore(
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "icmlora-bench")), java.nio.file.Path.of(
                        System.getProperty("java.io.tmpdir"))).config();
        System.out.printf(Locale.ROOT, "batched LoRA training, profile %s, k = %d tasks, %d steps each way; %s; load"
                + " average %s%n", profile.id(), k, steps, MachineState.describe(), ProcessCpu.loadAverage());
        try (NDManager manager = KitEngine.newManager()) {
            compare("detector", config.detection().lora().batchSize(), k, steps, detectorStep(config, manager),
                    manager);
            compare("gpt", config.language().lora().batchSize(), k, steps, gptStep(config, manager), manager);
        }
        System.out.println("load average at the end: " + ProcessCpu.loadAverage());
    }

    private static void compare(String model, int batch, int k, int steps, Step step, NDManager manager) {
        for (int warmUp = 0; warmUp < 3; warmUp++) {
            timed(step, batch, 1, manager);
            timed(step, k * batch, 1, manager);
        }
        double[] separate = new double[steps];
        double[] together = new double[steps];
        for (int s = 0; s < steps; s++) { // alternating, so drifts of the machine's speed hit both alike
            separate[s] = timed(step, batch, k, manager);
            together[s] = timed(step, k * batch, 1, manager);
        }
        double a = Median.of(separate);
        double b = Median.of(together);
        System.out.printf(Locale.ROOT, "%-8s %d steps of %3d examples %7.1f ms CPU, one step of %3d examples %7.1f ms"
                + " CPU: %.2fx (medians of %d)%n", model, k, batch, 1e3 * a, k * batch, 1e3 * b, a / b, steps);
    }

    /** CPU seconds of {@code repeats} steps on batches of {@code batch}. */
    private static double timed(Step step, int batch, int repeats, NDManager manager) {
        long start = THREADS.getCurrentThreadCpuTime();
        for (int r = 0; r < repeats; r++) {
            try (NDManager scope = manager.newSubManager()) {
                step.run(batch, scope);
            }
        }
        return (THREADS.getCurrentThreadCpuTime() - start) / 1e9;
    }

    private static Step detectorStep(KitConfig config, NDManager manager) {
        PromptDetector detector = new PromptDetector(config.detection().detector());
        KitEngine.seeded(1, () -> {
            detector.initialize(manager);
            LoraAdapters.inject(detector, config.lora().config(config.lora().rank(), config.detection().loraTargets()),
                    manager);
        });
        detector.freezeNormalization(true);
        Map<String, Parameter> trainable = TrainableParameters.of(detector);
        AdamW optimizer = new AdamW(1e-3f, 0f, manager);
        int size = config.detection().detector().imageSize();
        int cells = config.detection().detector().cells();
        Map<Integer, NDList> inputs = new HashMap<>(); // made once per batch size, outside the timed steps
        return (batch, scope) -> {
            NDList data = inputs.computeIfAbsent(batch, n -> new NDList(
                    manager.randomUniform(0, 1, new Shape(n, 1, size, size)),
                    manager.randomNormal(new Shape(n, config.detection().detector().promptDim())),
                    manager.randomUniform(0, 1, new Shape(n, cells)).gt(0.95f).toType(DataType.FLOAT32, false),
                    manager.randomUniform(0, 1, new Shape(n, cells, 4))));
            try (GradientCollector collector = KitEngine.newGradientCollector()) {
                NDArray head = detector.forward(new ParameterStore(scope, false), new NDList(data.get(0),
                        data.get(1)), true).head();
                collector.backward(DetectionLoss.compute(head, data.get(2), data.get(3), batch, 5f));
            }
            optimizer.step(trainable);
        };
    }

    private static Step gptStep(KitConfig config, NDManager manager) {
        Gpt gpt = new Gpt(config.language().model());
        KitEngine.seeded(1, () -> {
            gpt.initialize(manager);
            LoraAdapters.inject(gpt, config.lora().config(config.lora().rank(), config.language().loraTargets()),
                    manager);
        });
        Map<String, Parameter> trainable = TrainableParameters.of(gpt);
        AdamW optimizer = new AdamW(1e-3f, 0f, manager);
        int length = config.language().model().contextLength();
        Map<Integer, NDList> inputs = new HashMap<>(); // made once per batch size, outside the timed steps
        return (batch, scope) -> {
            NDList data = inputs.computeIfAbsent(batch, n -> new NDList(
                    manager.randomInteger(0, 256, new Shape(n, length), DataType.INT64),
                    manager.randomInteger(0, 256, new Shape(n, length), DataType.INT64)));
            try (GradientCollector collector = KitEngine.newGradientCollector()) {
                NDArray logits = gpt.forward(new ParameterStore(scope, false), new NDList(data.get(0)), true).head();
                collector.backward(Gpt.meanNextTokenLoss(logits, data.get(1)));
            }
            optimizer.step(trainable);
        };
    }
}
