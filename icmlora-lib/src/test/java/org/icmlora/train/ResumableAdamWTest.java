package org.icmlora.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.Map;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumableAdamWTest {

    private static Parameter scalar(NDManager manager, String name, float value) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        p.setArray(manager.create(new float[] {value}));
        p.getArray().setRequiresGradient(true);
        return p;
    }

    /** Gradient of loss = 2 w (so g = 2), then one update. */
    private static void step(Parameter w, ResumableAdamW optimizer, float lr) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(w.getArray().mul(2f).sum());
        }
        optimizer.update(lr);
    }

    @Test
    void firstStepMovesByTheLearningRatePlusDecay() {
        KitEngine.init(1);
        try (NDManager manager = KitEngine.newManager()) {
            Parameter w = scalar(manager, "w", 1f);
            try (ResumableAdamW optimizer = new ResumableAdamW(Map.of("w", w), 0.01f, manager)) {
                step(w, optimizer, 0.1f);
                // m-hat = 2, v-hat = 4: the Adam step is lr * 2 / 2 = 0.1, decay lr * wd * w = 0.001.
                assertEquals(0.899f, w.getArray().getFloat(0), 1e-6f);
                assertEquals(1, optimizer.steps());
            }
        }
    }

    @Test
    void savedStateContinuesExactly(@TempDir Path dir) {
        KitEngine.init(1);
        try (NDManager manager = KitEngine.newManager()) {
            Parameter a = scalar(manager, "w", 1f);
            Parameter b = scalar(manager, "w", 1f);
            try (ResumableAdamW first = new ResumableAdamW(Map.of("w", a), 0f, manager);
                    ResumableAdamW second = new ResumableAdamW(Map.of("w", b), 0f, manager)) {
                step(a, first, 0.1f);
                step(b, second, 0.1f);
                first.save(dir.resolve("state.safetensors"));
                try (ResumableAdamW restored = new ResumableAdamW(Map.of("w", a), 0f, manager)) {
                    restored.load(dir.resolve("state.safetensors"));
                    step(a, restored, 0.1f);
                    step(b, second, 0.1f);
                    assertEquals(b.getArray().getFloat(0), a.getArray().getFloat(0), 0f);
                    assertEquals(2, restored.steps());
                }
                try (ResumableAdamW other = new ResumableAdamW(Map.of("v", scalar(manager, "v", 0f)), 0f, manager)) {
                    assertThrows(IllegalArgumentException.class, () -> other.load(dir.resolve("state.safetensors")));
                }
            }
        }
    }
}
