package org.icmlora.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void timeLeftFollowsThePaceOfThisRunOnly() {
        // 8 of 10 epochs done in 4 s: 0.5 s an epoch, 1 s left
        assertEquals(1.0, new Progress("fresh", 10).secondsLeft(8, 4.0), 1e-12);
        // resumed after epoch 6 by an earlier run: this run did 2 epochs in 4 s, 2 s each, so 4 s left (the fresh
        // formula would say 1 s, as if the 6 resumed epochs had taken time here)
        assertEquals(4.0, new Progress("resumed", 10, 6).secondsLeft(8, 4.0), 1e-12);
        assertTrue(Double.isNaN(new Progress("resumed", 10, 6).secondsLeft(6, 0.5)), "no epoch of this run yet");
    }

    @Test
    void resumedUnitsMustLieWithinTheTotal() {
        assertThrows(IllegalArgumentException.class, () -> new Progress("x", 10, 11));
        assertThrows(IllegalArgumentException.class, () -> new Progress("x", 10, -1));
    }
}
