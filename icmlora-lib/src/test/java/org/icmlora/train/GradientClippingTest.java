package org.icmlora.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    /** Two parameters whose loss sum(c * w) gives gradients c: (3, 0) and (0, 4), global norm 5. */
    private static Map<String, Parameter> withGradients(NDManager manager) {
        Map<String, Parameter> trainable = new LinkedHashMap<>();
        float[][] coefficients = {{3, 0}, {0, 4}};
        NDArray loss = null;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            for (int i = 0; i < 2; i++) {
                Parameter p = Parameter.builder().setName("w" + i).setType(Parameter.Type.WEIGHT).build();
                p.setArray(manager.create(new float[] {1, 1}));
                p.getArray().setRequiresGradient(true);
                trainable.put("w" + i, p);
                NDArray term = p.getArray().mul(manager.create(coefficients[i])).sum();
                loss = loss == null ? term : loss.add(term);
            }
            collector.backward(loss);
        }
        return trainable;
    }

    @Test
    void scalesAllGradientsByOneFactorDownToTheBound() {
        try (NDManager manager = KitEngine.newManager()) {
            Map<String, Parameter> trainable = withGradients(manager);
            assertEquals(5.0, GradientClipping.clipGlobalNorm(trainable, 1.0), 1e-6);
            assertArrayEquals(new float[] {0.6f, 0}, trainable.get("w0").getArray().getGradient().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0, 0.8f}, trainable.get("w1").getArray().getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void leavesGradientsBelowTheBoundAlone() {
        try (NDManager manager = KitEngine.newManager()) {
            Map<String, Parameter> trainable = withGradients(manager);
            assertEquals(5.0, GradientClipping.clipGlobalNorm(trainable, 10.0), 1e-6);
            assertArrayEquals(new float[] {3, 0}, trainable.get("w0").getArray().getGradient().toFloatArray(), 1e-6f);
            assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipGlobalNorm(trainable, 0));
        }
    }
}
