package org.icmlora.models.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.api.Test;

class MultiHeadAttentionTest {

    @Test
    void equalKeysAverageTheValuesAndAMaskHidesTheFuture() {
        try (NDManager manager = KitEngine.newManager()) {
            NDArray queries = manager.randomNormal(new Shape(1, 2, 4));
            NDArray keys = manager.zeros(new Shape(1, 2, 4)); // every score equal: the softmax is uniform
            NDArray values = manager.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(1, 2, 4));

            NDArray mixed = MultiHeadAttention.mix(queries, keys, values, 2, null);
            assertEquals(new Shape(1, 2, 4), mixed.getShape());
            assertArrayEquals(new float[] {3, 4, 5, 6, 3, 4, 5, 6}, mixed.toFloatArray(), 1e-6f);

            NDArray future = manager.create(new float[] {0, -1e9f, 0, 0}, new Shape(2, 2));
            assertArrayEquals(new float[] {1, 2, 3, 4, 3, 4, 5, 6},
                    MultiHeadAttention.mix(queries, keys, values, 2, future).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void headsSeeOnlyTheirOwnFeatures() {
        try (NDManager manager = KitEngine.newManager()) {
            // Head 0 (features 0-1): token 0's query matches token 1's key strongly; head 1 (features 2-3): no preference.
            NDArray queries = manager.create(new float[] {10, 0, 0, 0, 0, 0, 0, 0}, new Shape(1, 2, 4));
            NDArray keys = manager.create(new float[] {0, 0, 0, 0, 10, 0, 0, 0}, new Shape(1, 2, 4));
            NDArray values = manager.create(new float[] {1, 1, 1, 1, 3, 3, 3, 3}, new Shape(1, 2, 4));
            float[] first = MultiHeadAttention.mix(queries, keys, values, 2, null).get("0, 0").toFloatArray();
            assertArrayEquals(new float[] {3, 3, 2, 2}, first, 1e-4f);
        }
    }

    @Test
    void aWidthThatDoesNotSplitIntoTheHeadsIsRefused() {
        try (NDManager manager = KitEngine.newManager()) {
            NDArray x = manager.zeros(new Shape(1, 2, 6));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MultiHeadAttention.mix(x, x, x, 4, null));
            assertEquals("width 6 does not split into 4 heads", e.getMessage());
        }
    }
}
