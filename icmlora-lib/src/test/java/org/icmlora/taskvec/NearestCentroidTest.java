package org.icmlora.taskvec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NearestCentroidTest {

    @Test
    void heldOutSamplesAreAssignedToTheNearestCentroid() {
        Map<String, float[][]> samples = new LinkedHashMap<>();
        // centroids (even rows): a = (0, 0), b = (10, 0); held-out (odd rows): a -> (1, 0) ok, (9, 0) wrong;
        // b -> (8, 1) ok, (11, 0) ok: 3 of 4 correct
        samples.put("a", new float[][] {{0, 0}, {1, 0}, {0, 0}, {9, 0}});
        samples.put("b", new float[][] {{10, 0}, {8, 1}, {10, 0}, {11, 0}});
        assertEquals(0.75, NearestCentroid.heldOutAccuracy(samples), 1e-12);
    }

    @Test
    void taskVectorIsTheMeanOfItsSamples() {
        TaskVector v = TaskVector.of("t", new float[][] {{1, 2}, {3, 6}});
        assertEquals(2f, v.mean()[0], 0f);
        assertEquals(4f, v.mean()[1], 0f);
    }

    @Test
    void aTaskWithOneSampleCannotBeHeldOut() {
        assertThrows(IllegalArgumentException.class,
                () -> NearestCentroid.heldOutAccuracy(Map.of("a", new float[][] {{1f}})));
    }
}
