package org.icmlora.generate.pdiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DdpmScheduleTest {

    @Test
    void linearBetasAndTheirCumulativeProduct() {
        DdpmSchedule schedule = new DdpmSchedule(1000, 1e-4, 2e-2);
        assertEquals(1e-4, schedule.beta(0), 1e-12);
        assertEquals(2e-2, schedule.beta(999), 1e-12);
        assertEquals(1e-4 + (2e-2 - 1e-4) / 999, schedule.beta(1), 1e-12);
        assertEquals((1 - 1e-4) * (1 - schedule.beta(1)), schedule.alphaBar(1), 1e-12);
        assertEquals(4.0e-5, schedule.alphaBar(999), 1e-5, "the chain ends in almost pure noise");
    }

    @Test
    void reverseStepOnHandComputedValues() {
        DdpmSchedule schedule = new DdpmSchedule(2, 0.1, 0.5);
        // t = 1: beta 0.5, alphaBar 0.9 * 0.5 = 0.45
        float[] x = {1f};
        schedule.reverseStep(x, new float[] {0.2f}, new float[] {1f}, 1);
        double expected = (1 - 0.5 / Math.sqrt(0.55) * 0.2) / Math.sqrt(0.5) + Math.sqrt(0.5);
        assertArrayEquals(new float[] {(float) expected}, x, 1e-6f);
        // t = 0 adds no noise
        float[] y = {1f};
        schedule.reverseStep(y, new float[] {0f}, new float[] {5f}, 0);
        assertArrayEquals(new float[] {(float) (1 / Math.sqrt(0.9))}, y, 1e-6f);
    }
}
