package org.icmlora.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.api.Test;

class AdamWTest {

    @Test
    void firstStepMovesEachWeightByTheLearningRateAndDecay() {
        KitEngine.init(1);
        try (NDManager manager = KitEngine.newManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            p.setArray(manager.create(new float[] {1f, -2f}));
            NDArray w = p.getArray();
            w.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(w.mul(manager.create(new float[] {0.5f, -4f})).sum()); // dL/dw = (0.5, -4)
            }
            AdamW adam = new AdamW(0.1f, 0.01f, manager);
            adam.step(Map.of("w", p));
            // bias-corrected m/sqrt(v) = sign(g): w - lr * sign(g) - lr * wd * w
            assertEquals(1f - 0.1f - 0.001f, w.getFloat(0), 1e-6);
            assertEquals(-2f + 0.1f + 0.002f, w.getFloat(1), 1e-6);
            assertEquals(0f, w.getGradient().getFloat(0), 0f);
            assertEquals(1, adam.steps());
            assertEquals(0.05f, adam.state().get("m/w").getFloat(0), 1e-7);
        }
    }

    @Test
    void aScheduledRateReplacesTheConstructorRateIncludingDecay() {
        KitEngine.init(1);
        try (NDManager manager = KitEngine.newManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            p.setArray(manager.create(new float[] {1f}));
            NDArray w = p.getArray();
            w.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(w.mul(2f).sum());
            }
            new AdamW(0.5f, 0.01f, manager).step(Map.of("w", p), 0.2f);
            assertEquals(1f - 0.2f - 0.002f, w.getFloat(0), 1e-6); // rate 0.2, not 0.5, in both terms
        }
    }
}
