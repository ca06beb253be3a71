package org.icmlora.generate.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TransposedConv1dTest {

    @ParameterizedTest(name = "k{3} s{4} p{5} op{6}, in {0} out {1} L {2}")
    @CsvSource({
        "2, 3, 5, 7, 2, 3, 1",   // the CVAE decoder layer: doubles the length
        "3, 2, 6, 7, 1, 3, 0",   // stride 1 ("same" length) for layers beyond the strided depth
        "1, 4, 4, 5, 5, 0, 0",   // the P-DIFF decoder fold: k5 s5
        "2, 2, 7, 5, 2, 2, 1",
        "2, 1, 3, 3, 4, 1, 2",   // stride > half the kernel: some phases have a single tap
        "1, 1, 2, 2, 3, 0, 0",   // stride > kernel: a phase with no tap at all
        "2, 3, 5, 4, 2, 0, 1",   // output padding beyond the kernel's reach: the conv pads one more on each side
        "2, 2, 6, 3, 1, 2, 0",   // padding > kernel / 2: the output is shorter than the input
        "16, 8, 40, 7, 2, 3, 1", // channels enough for the engine's blocked (vectorised) kernels
    })
    void matchesTheDirectLoopForwardAndBothGradients(int in, int out, int length, int k, int stride, int padding,
            int outputPadding) {
        int batch = 2;
        Random random = new Random(in * 31L + k * 7L + stride);
        float[] x = randomArray(random, batch * in * length);
        float[] w = randomArray(random, in * out * k);
        float[] b = randomArray(random, out);
        int outLength = TransposedConv1d.outputLength(length, k, stride, padding, outputPadding);
        float[] upstream = randomArray(random, batch * out * outLength);
        try (NDManager manager = KitEngine.newManager()) {
            NDArray xa = manager.create(x, new Shape(batch, in, length));
            NDArray wa = manager.create(w, new Shape(in, out, k));
            NDArray ba = manager.create(b, new Shape(out));
            xa.setRequiresGradient(true);
            wa.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = TransposedConv1d.polyphase(xa, wa, ba, stride, padding, outputPadding);
                assertEquals(new Shape(batch, out, outLength), y.getShape());
                assertArrayEquals(TransposedConvReference.forward(x, w, b, batch, in, out, length, k, stride, padding,
                        outputPadding), y.toFloatArray(), 1e-5f);
                gc.backward(y.mul(manager.create(upstream, y.getShape())).sum());
            }
            assertArrayEquals(TransposedConvReference.inputGradient(upstream, w, batch, in, out, length, k, stride,
                    padding, outLength), xa.getGradient().toFloatArray(), 1e-5f);
            assertArrayEquals(TransposedConvReference.weightGradient(upstream, x, batch, in, out, length, k, stride,
                    padding, outLength), wa.getGradient().toFloatArray(), 1e-5f);
        }
    }

    @Test
    void blockReportsItsOutputShapeAndRejectsBadSettings() {
        TransposedConv1d block = new TransposedConv1d(8, 4, 7, 2, 3, 1);
        assertEquals(new Shape(2, 4, 20), block.getOutputShapes(new Shape[] {new Shape(2, 8, 10)})[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TransposedConv1d(8, 4, 7, 2, 3, 2));
        assertEquals("TransposedConv1d: need padding >= 0 and 0 <= outputPadding < stride, got padding=3"
                + " outputPadding=2 stride=2", e.getMessage());
    }

    private static float[] randomArray(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
