package org.icmlora.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one training loop: a killed run resumes to exactly the weights and loss curve of an uninterrupted one (at one
 * intra-op thread), epochs draw their randomness from the seed alone, divergence names the epoch and the tensor.
 * Every trainer of the kit runs on this loop, so this is where resuming is tested.
 */
class TrainingLoopTest {

    private static final long SEED = 42;

    @TempDir
    Path dir;

    @BeforeAll
    static void oneThread() {
        KitEngine.init(1);
    }

    /** A linear regression trained by the loop; returns its weights. */
    private static float[] train(TrainingRun run, int epochs, EpochListener listener, List<Map<String, Double>> history,
            float learningRate) {
        try (NDManager manager = KitEngine.newManager()) {
            KitEngine.seed(7);
            Linear model = Linear.builder().setUnits(3).build();
            model.initialize(manager, DataType.FLOAT32, new Shape(4, 5));
            model.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            Map<String, Parameter> trainable = TrainableParameters.of(model);
            TrainingReport report = TrainingLoop.of("linear", model).adamW(learningRate, 0.01f).epochs(epochs).run(run)
                    .fingerprint("test").onEpoch(listener).train(optimizer -> (epoch, random) -> {
                        double sum = 0;
                        for (int step = 0; step < 3; step++) {
                            try (NDManager scope = manager.newSubManager()) {
                                // both sources of randomness: the epoch's Random and DJL's reseeded generator
                                NDArray x = scope.create(gaussian(random, 20), new Shape(4, 5))
                                        .add(scope.randomNormal(new Shape(4, 5)));
                                NDArray target = x.sum(new int[] {1}, true).repeat(1, 3);
                                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                                    NDArray loss = model.forward(new ParameterStore(scope, false), new NDList(x), true)
                                            .singletonOrThrow().sub(target).square().mean();
                                    collector.backward(loss);
                                    sum += loss.getFloat();
                                }
                                optimizer.step(trainable);
                            }
                        }
                        return Map.of("loss", sum / 3);
                    });
            history.addAll(report.history());
            List<Float> values = new ArrayList<>();
            model.getParameters().forEach(p -> {
                for (float v : p.getValue().getArray().toFloatArray()) {
                    values.add(v);
                }
            });
            float[] weights = new float[values.size()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = values.get(i);
            }
            return weights;
        }
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    @Test
    void aKilledRunResumesToTheWeightsAndLossCurveOfAnUninterruptedOne() {
        List<Map<String, Double>> straightHistory = new ArrayList<>();
        float[] straight = train(TrainingRun.checkpointed(SEED, dir.resolve("straight"), 1), 5, (e, l) -> { },
                straightHistory, 0.05f);

        Path work = dir.resolve("killed");
        List<Integer> firstRun = new ArrayList<>();
        assertThrows(Exception.class, () -> train(TrainingRun.checkpointed(SEED, work, 1), 5, (epoch, loss) -> {
            firstRun.add(epoch);
            if (epoch == 3) {
                throw new IOException("killed in epoch 3, before its checkpoint");
            }
        }, new ArrayList<>(), 0.05f));
        List<Integer> secondRun = new ArrayList<>();
        List<Map<String, Double>> resumedHistory = new ArrayList<>();
        float[] resumed = train(TrainingRun.checkpointed(SEED, work, 1), 5, (epoch, loss) -> secondRun.add(epoch),
                resumedHistory, 0.05f);

        assertEquals(List.of(1, 2, 3), firstRun);
        assertEquals(List.of(3, 4, 5), secondRun, "resumed after epoch 2, the last checkpoint");
        assertArrayEquals(straight, resumed, 0f);
        assertEquals(straightHistory, resumedHistory, "the loss curve is whole after a resume");
    }

    @Test
    void stoppingEarlyCheckpointsAndAnotherSeedTrainsDifferently() {
        List<Map<String, Double>> history = new ArrayList<>();
        float[] full = train(TrainingRun.inMemory(SEED), 4, (e, l) -> { }, history, 0.05f);
        float[] stopped = train(TrainingRun.checkpointed(SEED, dir.resolve("s"), 10).stoppingAfter(2), 4, (e, l) -> { },
                new ArrayList<>(), 0.05f);
        float[] finished = train(TrainingRun.checkpointed(SEED, dir.resolve("s"), 10), 4, (e, l) -> { },
                new ArrayList<>(), 0.05f);
        assertFalse(java.util.Arrays.equals(full, stopped));
        assertArrayEquals(full, finished, 0f);
        float[] otherSeed = train(TrainingRun.inMemory(SEED + 1), 4, (e, l) -> { }, new ArrayList<>(), 0.05f);
        assertFalse(java.util.Arrays.equals(full, otherSeed), "the seed must reach every epoch's randomness");
        assertEquals(4, history.size());
    }

    @Test
    void divergenceNamesTheEpochTheLossAndTheTensor() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> train(TrainingRun.inMemory(SEED), 50, (epoch, loss) -> { }, new ArrayList<>(), 1e30f));
        assertTrue(e.getMessage().matches("linear diverged in epoch \\d+: loss = (NaN|Infinity); parameter \\S+"
                + " holds (NaN|Infinity|-Infinity); lower the learning rate or check the input scale"),
                e.getMessage());
    }
}
