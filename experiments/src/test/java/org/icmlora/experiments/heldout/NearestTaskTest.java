package org.icmlora.experiments.heldout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NearestTaskTest {

    @Test
    void cosineOnHandComputedVectors() {
        assertEquals(1, NearestTask.cosine(new float[] {1, 2}, new float[] {2, 4}), 1e-12);
        assertEquals(0, NearestTask.cosine(new float[] {1, 0}, new float[] {0, 3}), 1e-12);
        assertEquals(-1, NearestTask.cosine(new float[] {1, 1}, new float[] {-2, -2}), 1e-12);
        assertEquals(0.6, NearestTask.cosine(new float[] {1, 0}, new float[] {3, 4}), 1e-12);
        assertEquals(0, NearestTask.cosine(new float[] {0, 0}, new float[] {3, 4}));
        assertThrows(IllegalArgumentException.class, () -> NearestTask.cosine(new float[2], new float[3]));
    }

    @Test
    void picksTheMostSimilarDirectionNotTheClosestPoint() {
        Map<String, float[]> conditions = new LinkedHashMap<>();
        conditions.put("near-but-turned", new float[] {1, 1});
        conditions.put("far-but-aligned", new float[] {10, 0.5f});
        NearestTask.Match match = NearestTask.byCosine(new float[] {1, 0}, conditions);
        assertEquals("far-but-aligned", match.task());
        assertEquals(10 / Math.sqrt(100.25), match.similarity(), 1e-6);
    }

    @Test
    void tiesGoToTheFirstTask() {
        Map<String, float[]> conditions = new LinkedHashMap<>();
        conditions.put("first", new float[] {0, 1});
        conditions.put("second", new float[] {0, 2});
        assertEquals("first", NearestTask.byCosine(new float[] {0, 5}, conditions).task());
        assertThrows(IllegalArgumentException.class, () -> NearestTask.byCosine(new float[] {1}, Map.of()));
    }
}
