package org.icmlora.generate.pdiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.icmlora.generate.Generators;
import org.icmlora.generate.core.AdapterNormalizer;
import org.icmlora.generate.core.FitReport;
import org.icmlora.generate.core.LoraGenerator;
import org.icmlora.generate.core.PdiffConfig;
import org.icmlora.generate.core.SyntheticAdapters;
import org.icmlora.generate.core.TrainingSet;
import org.icmlora.train.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdiffGeneratorTest {

    private static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }

    private static final long SEED = 2024;

    /** A tiny P-DIFF trained exactly {@code aeEpochs} and {@code ddpmEpochs} epochs (cap 1: no plateau rule). */
    static PdiffConfig tiny(int aeEpochs, int ddpmEpochs) {
        return converging(aeEpochs, ddpmEpochs, 1, 1, 0.01f);
    }

    /** A tiny P-DIFF that trains at least the given epochs, then until flat or {@code maxEpochs}. */
    static PdiffConfig converging(int aeEpochs, int ddpmEpochs, int maxEpochs, int window, float tolerance) {
        return new PdiffConfig(2, 4, 16, 0.001f, 0.1f, aeEpochs, new int[] {8, 16}, 16, 1000, 1e-4f, 2e-2f,
                ddpmEpochs, maxEpochs, window, tolerance, 8, 3e-3f, 1e-2f, AdapterNormalizer.Scheme.PER_COORDINATE);
    }

    @Test
    void generatesEachTasksAdapterCloseToItsOwnMeanAndFarFromTheOthers(@TempDir Path dir) {
        TrainingSet data = SyntheticAdapters.series(4, 6, 11);
        try (PdiffGenerator generator = new PdiffGenerator(tiny(400, 600))) {
            FitReport report = generator.fit(data, TrainingRun.inMemory(SEED));
            assertTrue(report.complete());
            double[] distances = SyntheticAdapters.ownVersusOther(data,
                    task -> generator.generate(data.taskVector(task), 5));
            System.out.printf("P-DIFF synthetic: max distance to own mean %.3f, min to another task's mean %.3f%n",
                    distances[0], distances[1]);
            // looser than the CVAE's 0.3: at this size the autoencoder alone reconstructs to about 1.7 (see the note)
            assertTrue(distances[0] < 0.65 * distances[1], "own " + distances[0] + " vs other " + distances[1]);
            for (String taskId : data.taskIds()) {
                float[] stored = data.adaptersOf(taskId).get(0);
                float[] roundTrip = generator.roundTrip(stored);
                double ownError = distance(roundTrip, stored);
                for (String other : data.taskIds()) {
                    if (!other.equals(taskId)) {
                        assertTrue(ownError < distance(roundTrip, data.meanAdapter(other)), "the round trip of a "
                                + taskId + " checkpoint is nearer another task's mean (" + other + ")");
                    }
                }
            }

            generator.save(dir.resolve("pdiff"));
            try (LoraGenerator loaded = Generators.load(dir.resolve("pdiff"))) {
                assertEquals(PdiffGenerator.KIND, loaded.kind());
                float[] task = data.taskVector("task1");
                assertArrayEquals(generator.generate(task, 3), loaded.generate(task, 3), 1e-5f);
            }
        }
    }

    @Test
    void eachPhaseStopsOnceItsLossIsFlatAfterItsMinimum() {
        TrainingSet data = SyntheticAdapters.series(2, 3, 5);
        // any loss counts as flat (tolerance 0.99): each phase stops at two windows of 2 epochs, not at the cap of 50
        try (PdiffGenerator generator = new PdiffGenerator(converging(3, 3, 50, 2, 0.99f))) {
            FitReport report = generator.fit(data, TrainingRun.inMemory(SEED));
            assertTrue(report.complete());
            assertEquals(List.of(4, 4), report.phases().stream().map(p -> p.epochsDone()).toList());
        }
        // two windows of 100 epochs never fit under a cap of 6: the cap ends each phase
        try (PdiffGenerator generator = new PdiffGenerator(converging(2, 2, 6, 100, 0f))) {
            FitReport report = generator.fit(data, TrainingRun.inMemory(SEED));
            assertEquals(List.of(6, 6), report.phases().stream().map(p -> p.epochsDone()).toList());
        }
    }

    @Test
    void resumesInEitherPhaseToTheSameResultAsAnUninterruptedRun(@TempDir Path dir) {
        TrainingSet data = SyntheticAdapters.series(2, 3, 5);
        float[] task = data.taskVector("task0");
        float[] uninterrupted;
        try (PdiffGenerator generator = new PdiffGenerator(tiny(3, 3))) {
            generator.fit(data, TrainingRun.inMemory(SEED));
            uninterrupted = generator.generate(task, 2);
        }
        for (int stopAfter : new int[] {2, 3, 5}) { // inside the autoencoder phase, at its end, inside the DDPM phase
            Path work = dir.resolve("stop" + stopAfter);
            try (PdiffGenerator first = new PdiffGenerator(tiny(3, 3))) {
                FitReport stopped = first.fit(data, TrainingRun.checkpointed(SEED, work, 1).stoppingAfter(stopAfter));
                assertEquals(stopAfter, stopped.epochsDone());
                assertTrue(!stopped.complete());
            }
            try (PdiffGenerator second = new PdiffGenerator(tiny(3, 3))) {
                FitReport resumed = second.fit(data, TrainingRun.checkpointed(SEED, work, 1));
                assertTrue(resumed.complete());
                assertEquals(6, resumed.epochsDone());
                assertEquals(stopAfter, resumed.resumedFrom());
                assertArrayEquals(uninterrupted, second.generate(task, 2), 1e-5f, "stopped after " + stopAfter);
            }
        }
    }
}
