package org.icmlora.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class KitEngineTest {

    @Test
    void computesOnTheChosenDeviceOffline() {
        KitEngine.init(1); // the first init fixes the thread count for every later test in this JVM
        try (NDManager manager = KitEngine.newManager()) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            assertArrayEquals(new float[] {7, 10, 15, 22}, a.matMul(a).toFloatArray(), 1e-6f);
            assertEquals(KitEngine.device(), a.getDevice());
        }
        assertEquals("true", System.getProperty("ai.djl.offline"));
    }

    @Test
    void sameSeedGivesSameRandomNumbers() {
        try (NDManager manager = KitEngine.newManager()) {
            KitEngine.seed(42);
            float[] first = manager.randomNormal(new ai.djl.ndarray.types.Shape(5)).toFloatArray();
            KitEngine.seed(42);
            float[] second = manager.randomNormal(new ai.djl.ndarray.types.Shape(5)).toFloatArray();
            assertArrayEquals(first, second);
        }
    }

    @Test
    void rejectsANonPositiveThreadCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KitEngine.init(0));
        assertEquals("ICMLORA_THREADS must be >= 1, got 0", e.getMessage());
    }
}
