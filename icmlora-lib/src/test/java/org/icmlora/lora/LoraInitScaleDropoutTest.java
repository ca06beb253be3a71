package org.icmlora.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How adapters start, how alpha and r scale them, and when dropout acts. */
class LoraInitScaleDropoutTest {

    private NDManager manager;

    @BeforeEach
    void engine() {
        KitEngine.init(1);
        KitEngine.seed(11);
        manager = KitEngine.newManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private LoraLinear layer(int in, int out, LoraConfig config) {
        LoraLinear layer = new LoraLinear("fc", in, out, false);
        layer.initialize(manager, DataType.FLOAT32, new Shape(1, in));
        LoraAdapters.inject(layer, config, manager);
        return layer;
    }

    private static double[] meanAndStd(float[] values) {
        double sum = 0;
        double squares = 0;
        for (float v : values) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / values.length;
        return new double[] {mean, Math.sqrt(squares / values.length - mean * mean)};
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    @Test
    void kaimingUniformDrawsAWithinOneOverSqrtFanIn() {
        LoraLinear fc = layer(256, 8, LoraConfig.of(4, "fc"));
        float[] a = fc.loraA().toFloatArray();
        double bound = 1 / Math.sqrt(256);
        double[] stats = meanAndStd(a);
        assertTrue(maxAbs(a) <= bound && maxAbs(a) > 0.95 * bound, "max |A| = " + maxAbs(a));
        assertEquals(bound / Math.sqrt(3), stats[1], 0.1 * bound / Math.sqrt(3), "std of U(-b, b) is b/sqrt(3)");
        assertEquals(0, stats[0], 0.005);
        assertEquals(0f, maxAbs(fc.loraB().toFloatArray()));
    }

    @Test
    void gaussianDrawsAWithStdOneOverRank() {
        LoraLinear fc = layer(256, 8, LoraConfig.of(4, "fc").withInit(LoraConfig.Init.GAUSSIAN));
        float[] a = fc.loraA().toFloatArray();
        double[] stats = meanAndStd(a);
        assertEquals(0.25, stats[1], 0.025, "PEFT's gaussian init: std = 1/r");
        assertEquals(0, stats[0], 0.03);
        assertTrue(maxAbs(a) > 1 / Math.sqrt(256), "a normal sample leaves the Kaiming bound");
        assertEquals(0f, maxAbs(fc.loraB().toFloatArray()));
    }

    /** W = 0 and B A = I (rank 4 on 2 features), so the output is exactly s * x. */
    private float[] identityAdapterOutput(LoraConfig config) {
        LoraLinear fc = layer(2, 2, config);
        fc.weight().set(new float[4]);
        fc.setAdapter(new float[] {1, 0, 0, 1, 0, 0, 0, 0}, new float[] {1, 0, 0, 0, 0, 1, 0, 0});
        NDArray x = manager.create(new float[] {1, 2}, new Shape(1, 2));
        return fc.forward(new ParameterStore(manager, false), new NDList(x), false).head().toFloatArray();
    }

    @Test
    void scalingIsAlphaOverRankOrOverSqrtRank() {
        LoraConfig standard = LoraConfig.of(4, "fc").withAlpha(8);
        assertEquals(2f, standard.scale());
        assertEquals(4f, standard.withScaling(LoraConfig.Scaling.RANK_STABILIZED).scale());
        assertArrayEquals(new float[] {2, 4}, identityAdapterOutput(standard), 0f);
        assertArrayEquals(new float[] {4, 8},
                identityAdapterOutput(standard.withScaling(LoraConfig.Scaling.RANK_STABILIZED)), 0f);
    }

    @Test
    void dropoutActsOnTheAdapterInputOnlyDuringTraining() {
        LoraLinear fc = layer(1, 1, LoraConfig.of(1, "fc").withAlpha(3).withDropout(0.5f));
        fc.weight().set(new float[] {0});
        fc.setAdapter(new float[] {1}, new float[] {1});
        float[] ones = new float[400];
        java.util.Arrays.fill(ones, 1f);
        NDList x = new NDList(manager.create(ones, new Shape(400, 1)));
        float[] inference = fc.forward(new ParameterStore(manager, false), x, false).head().toFloatArray();
        float[] expected = new float[400];
        java.util.Arrays.fill(expected, 3f);
        assertArrayEquals(expected, inference, 0f);
        float[] training = fc.forward(new ParameterStore(manager, false), x, true).head().toFloatArray();
        int dropped = 0;
        for (float y : training) {
            assertTrue(y == 0f || y == 6f, "kept inputs are scaled by 1/(1-p): " + y);
            dropped += y == 0f ? 1 : 0;
        }
        assertTrue(dropped > 140 && dropped < 260, dropped + " of 400 dropped at p = 0.5");
    }
}
