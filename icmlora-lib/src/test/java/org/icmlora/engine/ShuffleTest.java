package org.icmlora.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShuffleTest {

    @Test
    void aPermutationHoldsEveryIndexOnceInAnOrderFixedByTheRandomSource() {
        int[] order = Shuffle.permutation(50, new Random(3));
        assertArrayEquals(java.util.stream.IntStream.range(0, 50).toArray(), Arrays.stream(order).sorted().toArray());
        assertArrayEquals(order, Shuffle.permutation(50, new Random(3)));
        assertFalse(Arrays.equals(order, Shuffle.permutation(50, new Random(4))));
        assertFalse(Arrays.equals(order, java.util.stream.IntStream.range(0, 50).toArray()));
    }

    @Test
    void twoElementsSwapExactlyWhenTheOneDrawSaysSo() {
        // Fisher-Yates from the end draws nextInt(2) once for n = 2: 0 swaps the two, 1 keeps them
        Random random = new Random(11);
        int draw = new Random(11).nextInt(2);
        assertArrayEquals(draw == 0 ? new int[] {1, 0} : new int[] {0, 1}, Shuffle.permutation(2, random));
        assertEquals(0, Shuffle.permutation(1, new Random(1))[0]);
        assertEquals(0, Shuffle.permutation(0, new Random(1)).length);
    }
}
