package org.icmlora.generate.cvae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.api.Test;

class CvaeLossTest {

    @Test
    void computesMsePlusWeightedKlOnAHandWorkedBatch() {
        try (NDManager manager = KitEngine.newManager()) {
            NDArray recon = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray target = manager.create(new float[] {1, 0, 3, 6}, new Shape(2, 2));
            NDArray mu = manager.create(new float[] {1, 0, 0, 2}, new Shape(2, 2));
            NDArray logVar = manager.zeros(new Shape(2, 2));
            CvaeLoss.Parts parts = CvaeLoss.compute(recon, target, mu, logVar, 0.5f);
            // mse = (0 + 4 + 0 + 4) / 4 = 2; kl per sample = 0.5 * sum(mu^2) -> 0.5 and 2, mean 1.25
            assertEquals(2f, parts.mse().getFloat(), 1e-6f);
            assertEquals(1.25f, parts.kl().getFloat(), 1e-6f);
            assertEquals(2f + 0.5f * 1.25f, parts.total().getFloat(), 1e-6f);
        }
    }

    @Test
    void refusesTheReferenceCodesBroadcastBetweenBx1xLAndBxL() {
        try (NDManager manager = KitEngine.newManager()) {
            NDArray recon = manager.zeros(new Shape(2, 8));
            NDArray target = manager.zeros(new Shape(2, 1, 8));
            NDArray mu = manager.zeros(new Shape(2, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CvaeLoss.compute(recon, target, mu, mu, 0.005f));
            assertEquals("CVAE loss: reconstruction (2, 8) and target (2, 1, 8) must have the same shape (no"
                    + " broadcasting)", e.getMessage());
        }
    }
}
