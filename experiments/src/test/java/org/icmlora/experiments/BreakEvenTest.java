package org.icmlora.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When a generator pays, on sizes computed by hand. */
class BreakEvenTest {

    /** 5 tasks, 4 kept checkpoints, a generator of 10,000 bytes of which 500 are conditions (100 per task). */
    private static BreakEven.Point point(int rank, int length, long generator, double adapter) {
        return new BreakEven.Point(rank, length, 5, 4, generator, 500, adapter);
    }

    @Test
    void tasksToBeatTheAdaptersFollowFromTheGeneratorsOwnBytesAndTheMarginPerTask() {
        BreakEven.Point p = point(2, 1000, 10_000, 4_100);
        assertEquals(9_500, p.ownBytes(), 1e-9);
        assertEquals(100, p.conditionPerTask(), 1e-9);
        assertEquals(3, p.tasksToBeatOneAdapterPerTask(), 0, "9,500 / (4,100 - 100) = 2.4: from 3 tasks");
        assertEquals(1, p.tasksToBeatAllCheckpoints(), 0, "9,500 / (16,400 - 100) < 1");
        assertTrue(Double.isInfinite(point(2, 1000, 10_000, 90).tasksToBeatOneAdapterPerTask()),
                "an adapter smaller than a condition: never");
    }

    @Test
    void theAdapterLengthToPayComesFromALineFittedOverTheRanks() {
        // own bytes 1,000 + 2 P (exactly on a line), adapters 4 bytes per parameter
        BreakEven growing = new BreakEven("gen", List.of(point(1, 100, 1_000 + 200 + 500, 400),
                point(2, 200, 1_000 + 400 + 500, 800)));
        assertArrayEquals(new double[] {1_000, 2}, growing.ownBytesLine(), 1e-9);
        // one adapter per task: 5 * 4 P > 1,000 + 2 P + 500 -> P > 1,500 / 18 = 83.3
        assertEquals(84, growing.adapterLengthToBeatOneAdapterPerTask(), 0);
        // all 4 kept: 5 * 4 * 4 P > 1,000 + 2 P + 500 -> P > 1,500 / 78
        assertEquals(20, growing.adapterLengthToBeatAllCheckpoints(), 0);
        BreakEven steep = new BreakEven("gen", List.of(point(1, 100, 100 * 30 + 500, 400),
                point(2, 200, 200 * 30 + 500, 800)));
        assertTrue(Double.isInfinite(steep.adapterLengthToBeatOneAdapterPerTask()),
                "30 bytes per parameter against 5 tasks x 4 bytes: never");
    }
}
