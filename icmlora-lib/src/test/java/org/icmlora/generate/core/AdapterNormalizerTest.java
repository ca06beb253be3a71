package org.icmlora.generate.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.icmlora.engine.KitEngine;
import org.icmlora.lora.LoraLayout;
import org.junit.jupiter.api.Test;

class AdapterNormalizerTest {

    // one layer, in 2, out 1, rank 1: A = v[0..1], B = v[2]
    private static final LoraLayout LAYOUT = new LoraLayout(1, 1f, List.of(new LoraLayout.Layer("l", 2, 1)));

    private static TrainingSet data() {
        return new TrainingSet(LAYOUT, List.of(new TrainingPair("a", new float[] {0}, new float[] {1, 3, 5}),
                new TrainingPair("b", new float[] {1}, new float[] {3, 5, 5})));
    }

    @Test
    void perTensorPoolsEveryCheckpointAndTreatsAConstantTensorAsShiftOnly() {
        AdapterNormalizer n = AdapterNormalizer.fit(AdapterNormalizer.Scheme.PER_TENSOR, data());
        // A values {1, 3, 3, 5}: mean 3, std sqrt(2); B values {5, 5}: mean 5, std 0 -> 1
        float s = (float) Math.sqrt(2);
        assertArrayEquals(new float[] {-2 / s, 0, 0}, n.normalize(new float[] {1, 3, 5}), 1e-6f);
        assertArrayEquals(new float[] {1, 3, 5}, n.denormalize(n.normalize(new float[] {1, 3, 5})), 1e-6f);
    }

    @Test
    void perCoordinateStandardisesEachCoordinateAcrossCheckpoints() {
        AdapterNormalizer n = AdapterNormalizer.fit(AdapterNormalizer.Scheme.PER_COORDINATE, data());
        assertArrayEquals(new float[] {-1, -1, 0}, n.normalize(new float[] {1, 3, 5}), 1e-6f);
        assertArrayEquals(new float[] {1, 1, 0}, n.normalize(new float[] {3, 5, 5}), 1e-6f);
    }

    @Test
    void bothSchemesSurviveStoring() {
        try (NDManager manager = KitEngine.newManager()) {
            for (AdapterNormalizer.Scheme scheme : AdapterNormalizer.Scheme.values()) {
                AdapterNormalizer n = AdapterNormalizer.fit(scheme, data());
                AdapterNormalizer back = AdapterNormalizer.restore(n.toJson(), n.tensors(manager), LAYOUT);
                float[] v = {0.5f, -2, 7};
                assertArrayEquals(n.normalize(v), back.normalize(v), 0f);
                assertEquals(scheme, back.scheme());
            }
        }
    }

    @Test
    void trainingSetRejectsAnAdapterOfTheWrongLengthAndTwoVectorsForOneTask() {
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> new TrainingSet(LAYOUT,
                List.of(new TrainingPair("a", new float[] {0}, new float[] {1, 2}))));
        assertEquals("training pair 0 (task a): adapter vector has 2 values but this layout (rank 1, 1 layers) needs"
                + " 3; it was made for another model, rank or target set", wrong.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> new TrainingSet(LAYOUT,
                List.of(new TrainingPair("a", new float[] {0}, new float[] {1, 2, 3}),
                        new TrainingPair("a", new float[] {1}, new float[] {1, 2, 3}))));
        assertEquals("training pair 1 (task a): task vector differs from the one given earlier for the same task; one"
                + " task must have one task vector", twice.getMessage());
    }
}
