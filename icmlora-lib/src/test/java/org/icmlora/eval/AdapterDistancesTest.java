package org.icmlora.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.icmlora.lora.LoraLayout;
import org.junit.jupiter.api.Test;

/** Distances, the memorisation index and per-tensor fidelity on hand-computed cases. */
class AdapterDistancesTest {

    private static final float[] ORIGIN = {0, 0};
    private static final float[] EAST = {4, 0};
    private static final float[] NORTH = {0, 3};

    @Test
    void aGeneratorThatReturnsAStoredCheckpointHasIndexZero() {
        List<float[]> own = List.of(ORIGIN, EAST);
        List<float[]> stored = List.of(ORIGIN, EAST, NORTH);
        assertEquals(0, AdapterDistances.memorisationIndex(EAST.clone(), stored, own), 0);
        assertEquals(0, AdapterDistances.memorisationIndex(NORTH.clone(), stored, own), 0,
                "another task's checkpoint is stored too");
    }

    @Test
    void theIndexIsTheNearestDistanceOverTheOwnSpread() {
        List<float[]> own = List.of(ORIGIN, EAST, NORTH); // pairwise 4, 3, 5: spread 4
        assertEquals(4, AdapterDistances.meanPairwiseDistance(own), 1e-12);
        float[] midpoint = {2, 0}; // 2 from both ends of the first pair
        assertEquals(0.5, AdapterDistances.memorisationIndex(midpoint, own, own), 1e-12);
        float[] far = {0, -8}; // nearest: the origin, 8 away
        assertEquals(2, AdapterDistances.memorisationIndex(far, own, own), 1e-12);
    }

    @Test
    void theIndexNeedsAnOwnSpread() {
        assertThrows(IllegalArgumentException.class,
                () -> AdapterDistances.memorisationIndex(EAST, List.of(EAST), List.of(EAST)));
        assertThrows(IllegalArgumentException.class,
                () -> AdapterDistances.memorisationIndex(EAST, List.of(EAST), List.of(ORIGIN, ORIGIN)));
    }

    @Test
    void fidelityIsComputedPerTensor() {
        // rank 1, one layer 2 -> 1: A [1 x 2] at 0..1, B [1 x 1] at 2
        LoraLayout layout = new LoraLayout(1, 2f, List.of(new LoraLayout.Layer("fc", 2, 1)));
        float[] reference = {1, 0, 2};
        float[] x = {0, 1, 4};
        List<AdapterDistances.TensorFidelity> fidelity = AdapterDistances.perTensor(layout, x, reference);
        assertEquals(List.of("fc.lora_A", "fc.lora_B"), fidelity.stream().map(AdapterDistances.TensorFidelity::tensor)
                .toList());
        assertEquals(0, fidelity.get(0).cosine(), 1e-12, "orthogonal A");
        assertEquals(Math.sqrt(2), fidelity.get(0).relativeL2(), 1e-12);
        assertEquals(1, fidelity.get(1).cosine(), 1e-12, "B twice the reference: same direction");
        assertEquals(1, fidelity.get(1).relativeL2(), 1e-12);
        assertTrue(Double.isNaN(AdapterDistances.perTensor(layout, new float[3], reference).get(0).cosine()));
    }
}
