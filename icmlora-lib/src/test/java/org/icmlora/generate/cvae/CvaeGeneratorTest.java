package org.icmlora.generate.cvae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.icmlora.engine.KitEngine;
import org.icmlora.generate.Generators;
import org.icmlora.generate.core.AdapterNormalizer;
import org.icmlora.generate.core.CvaeConfig;
import org.icmlora.generate.core.FitReport;
import org.icmlora.generate.core.GeneratorFiles;
import org.icmlora.generate.core.LoraGenerator;
import org.icmlora.generate.core.SyntheticAdapters;
import org.icmlora.generate.core.TrainingSet;
import org.icmlora.train.TrainingCheckpoints;
import org.icmlora.train.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CvaeGeneratorTest {

    private static final long SEED = 2024;

    /** A tiny CVAE: depth 4, latent 16, channels 4..16. */
    static CvaeConfig tiny(int epochs) {
        return new CvaeConfig(4, 16, 4, 16, 0.005f, epochs, 8, 3e-3f, 0f, CvaeConfig.Schedule.CONSTANT,
                AdapterNormalizer.Scheme.PER_TENSOR);
    }

    @Test
    void generatesEachTasksAdapterCloseToItsOwnMeanAndFarFromTheOthers(@TempDir Path dir) {
        TrainingSet data = SyntheticAdapters.series(4, 6, 11);
        try (CvaeGenerator generator = new CvaeGenerator(tiny(300))) {
            FitReport report = generator.fit(data, TrainingRun.inMemory(SEED));
            assertTrue(report.complete());
            double[] distances = SyntheticAdapters.ownVersusOther(data,
                    task -> generator.generate(data.taskVector(task), 5));
            System.out.printf("CVAE synthetic: max distance to own mean %.3f, min to another task's mean %.3f%n",
                    distances[0], distances[1]);
            assertTrue(distances[0] < 0.3 * distances[1], "own " + distances[0] + " vs other " + distances[1]);

            long bytes = generator.save(dir.resolve("cvae"));
            assertEquals(GeneratorFiles.storageBytes(dir.resolve("cvae")), bytes);
            try (LoraGenerator loaded = Generators.load(dir.resolve("cvae"))) {
                float[] task = data.taskVector("task2");
                assertArrayEquals(generator.generate(task, 3, 9).samples().get(2),
                        loaded.generate(task, 3, 9).samples().get(2), 1e-6f);
            }
        }
    }

    /**
     * A Jupyter kernel runs each snippet on a pooled thread, sometimes a new one, and PyTorch records operations for
     * backward on every new thread; the kit's in-place weight updates must not care (CI's teaching notebook failed so).
     */
    @Test
    void fitsOnANewThreadAsOnTheEnginesOwn() throws Exception {
        TrainingSet data = SyntheticAdapters.series(3, 3, 5);
        float[] here;
        try (CvaeGenerator generator = new CvaeGenerator(tiny(3))) {
            generator.fit(data, TrainingRun.inMemory(SEED));
            here = generator.generate(data.taskVector("task1"), 2);
        }
        float[][] there = new float[1][];
        Throwable[] failure = new Throwable[1];
        Thread fresh = new Thread(() -> {
            try (CvaeGenerator generator = new CvaeGenerator(tiny(3))) {
                generator.fit(data, TrainingRun.inMemory(SEED));
                there[0] = generator.generate(data.taskVector("task1"), 2);
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        fresh.start();
        fresh.join();
        if (failure[0] != null) {
            throw new AssertionError("fit on a new thread failed", failure[0]);
        }
        assertArrayEquals(here, there[0], 0f);
    }

    @Test
    void resumedTrainingEndsWithTheSameWeightsAsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        TrainingSet data = SyntheticAdapters.series(3, 3, 5);
        float[] uninterrupted;
        try (CvaeGenerator generator = new CvaeGenerator(tiny(6))) {
            generator.fit(data, TrainingRun.checkpointed(SEED, dir.resolve("a"), 2));
            uninterrupted = generator.generate(data.taskVector("task1"), 4);
        }
        try (CvaeGenerator first = new CvaeGenerator(tiny(6))) {
            FitReport stopped = first.fit(data, TrainingRun.checkpointed(SEED, dir.resolve("b"), 2).stoppingAfter(3));
            assertFalse(stopped.complete());
            assertEquals(3, stopped.epochsDone());
        }
        try (CvaeGenerator second = new CvaeGenerator(tiny(6))) {
            FitReport resumed = second.fit(data, TrainingRun.checkpointed(SEED, dir.resolve("b"), 2));
            assertEquals(3, resumed.resumedFrom());
            assertTrue(resumed.complete());
            assertArrayEquals(uninterrupted, second.generate(data.taskVector("task1"), 4), 1e-5f);
        }
        try (var files = Files.list(dir.resolve("b"))) {
            assertEquals(2 * TrainingCheckpoints.KEPT, files.count(),
                    "only the newest checkpoints (json + safetensors) are kept");
        }
    }

    @Test
    void oneEpochMovesEveryTrainableWeightAwayFromItsInitialisation() {
        // The reference training script never creates its optimiser, so its weights never move.
        TrainingSet data = SyntheticAdapters.series(2, 4, 3);
        CvaeConfig config = tiny(1);
        try (CvaeGenerator generator = new CvaeGenerator(config); NDManager manager = KitEngine.newManager()) {
            generator.fit(data, TrainingRun.inMemory(SEED));
            KitEngine.seed(SEED);
            CvaeModel fresh = new CvaeModel(generator.model().plan(), config.latentDim(), data.conditionLength());
            fresh.initialize(manager);
            var trained = generator.model().getParameters();
            int compared = 0;
            for (var entry : fresh.getParameters()) {
                if (entry.getValue().requiresGradient()) {
                    float[] before = entry.getValue().getArray().toFloatArray();
                    float[] after = trained.get(entry.getKey()).getArray().toFloatArray();
                    assertFalse(java.util.Arrays.equals(before, after), entry.getKey() + " did not change");
                    compared++;
                }
            }
            assertEquals(generator.model().getParameters().stream().filter(p -> p.getValue().requiresGradient())
                    .count(), compared);
            assertEquals(generator.model().getParameters().stream().mapToLong(p -> p.getValue().getArray().size())
                    .sum(), generator.parameterCount(), "every parameter (running statistics included) is counted");
        }
    }

    @Test
    void refusesToResumeFromCheckpointsOfAnotherConfiguration(@TempDir Path dir) {
        TrainingSet data = SyntheticAdapters.series(2, 3, 5);
        try (CvaeGenerator generator = new CvaeGenerator(tiny(2))) {
            generator.fit(data, TrainingRun.checkpointed(SEED, dir, 1));
        }
        try (CvaeGenerator other = new CvaeGenerator(tiny(3))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> other.fit(data, TrainingRun.checkpointed(SEED, dir, 1)));
            assertTrue(e.getMessage().contains("belongs to another configuration or training set"), e.getMessage());
        }
    }

    @Test
    void rejectsATaskVectorOfAnotherLengthAndGeneratingBeforeFitting() {
        try (CvaeGenerator generator = new CvaeGenerator(tiny(1))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> generator.generate(new float[6], 1));
            assertTrue(e.getMessage().contains("not trained"));
            generator.fit(SyntheticAdapters.series(2, 2, 1), TrainingRun.inMemory(SEED));
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                    () -> generator.generate(new float[5], 1));
            assertEquals("the generator was trained on task vectors of length 6, got one of length 5 (another"
                    + " task-vector source?)", wrong.getMessage());
        }
    }
}
