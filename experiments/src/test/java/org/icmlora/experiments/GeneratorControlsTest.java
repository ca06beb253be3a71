package org.icmlora.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shuffled assignment of the controls: every task gets another task's condition. */
class GeneratorControlsTest {

    @Test
    void aDerangementIsAPermutationWithoutFixedPointsAndDependsOnTheSeed() {
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 2000; seed++) {
            int[] p = GeneratorControls.derangement(5, new Random(seed));
            int[] sorted = p.clone();
            Arrays.sort(sorted);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4}, sorted, "a permutation");
            for (int i = 0; i < p.length; i++) {
                assertNotEquals(i, p[i], "task " + i + " kept its own condition");
            }
            seen.add(Arrays.toString(p));
        }
        assertEquals(44, seen.size(), "all 44 derangements of 5 appear over 2,000 seeds");
        assertArrayEquals(new int[] {1, 0}, GeneratorControls.derangement(2, new Random(3)));
        assertThrows(IllegalArgumentException.class, () -> GeneratorControls.derangement(1, new Random(3)));
    }
}
