package org.icmlora.generate.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.util.List;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.api.Test;

class AdamWTest {

    @Test
    void reallyStepsTheWeightsAndZeroesTheGradient() {
        // The reference training script never creates its optimiser, so its weights never move.
        try (NDManager manager = KitEngine.newManager(); AdamW optimizer = new AdamW(0.1f, manager)) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            p.setArray(manager.create(new float[] {1f, -2f}));
            p.getArray().setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(p.getArray().mul(manager.create(new float[] {3f, -0.5f})).sum());
            }
            optimizer.step(List.of(new Pair<>("w", p)), 0.01f);
            // first Adam step moves each weight by lr * sign(grad) (bias-corrected m / sqrt(v) = +-1), after the
            // decoupled decay w * (1 - lr * wd)
            assertArrayEquals(new float[] {1f * 0.999f - 0.01f, -2f * 0.999f + 0.01f}, p.getArray().toFloatArray(),
                    1e-5f);
            assertArrayEquals(new float[] {0f, 0f}, p.getArray().getGradient().toFloatArray());
            assertEquals(1, optimizer.steps());
            NDArray m = optimizer.state().get("adamw.m.w");
            assertArrayEquals(new float[] {0.3f, -0.05f}, m.toFloatArray(), 1e-6f);
        }
    }
}
