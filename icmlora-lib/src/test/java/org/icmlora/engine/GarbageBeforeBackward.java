package org.icmlora.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Test support for the hazard {@link Scalars} avoids: a backward pass that runs after the garbage collector has freed
 * Java memory that a forward pass's tensors still point to. {@link #gradients} runs one forward and backward pass and,
 * when asked, collects garbage and overwrites freed small blocks of native memory with NaN between the two, so that a
 * graph holding such a tensor gets NaN (or wrong) gradients instead of the right ones.
 */
public final class GarbageBeforeBackward {

    private GarbageBeforeBackward() {}

    /**
     * Asserts that one backward pass of {@code loss} gives {@code trainable} the same gradients with and without a
     * garbage collection (and an overwrite of freed memory) between forward and backward; returns the gradients.
     * {@code loss} must compute the same value every time it is called (seed any noise inside it).
     */
    public static Map<String, float[]> assertUnchangedByGarbageCollection(Map<String, Parameter> trainable,
            Supplier<NDArray> loss) {
        Map<String, float[]> undisturbed = gradients(trainable, loss, false);
        Map<String, float[]> afterCollection = gradients(trainable, loss, true);
        undisturbed.forEach((name, expected) -> assertArrayEquals(expected, afterCollection.get(name), 1e-6f, name));
        return undisturbed;
    }

    /**
     * The gradients of {@code trainable} (copies, by name) after one backward pass of {@code loss}; the parameters'
     * gradients are zeroed afterwards.
     */
    static Map<String, float[]> gradients(Map<String, Parameter> trainable, Supplier<NDArray> loss,
            boolean collectGarbageFirst) {
        List<ByteBuffer> overwritten = List.of();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray value = loss.get();
            if (collectGarbageFirst) {
                overwritten = collectAndOverwriteFreedMemory();
            }
            collector.backward(value);
        }
        Map<String, float[]> gradients = new LinkedHashMap<>();
        trainable.forEach((name, parameter) -> {
            try (NDArray gradient = parameter.getArray().getGradient()) {
                gradients.put(name, gradient.toFloatArray());
                gradient.muli(0);
            }
        });
        Reference.reachabilityFence(overwritten); // the NaN blocks stay allocated until the gradients are read
        return gradients;
    }

    /** Collects garbage, then fills many freshly allocated small native blocks with NaN bytes (returned to keep them). */
    private static List<ByteBuffer> collectAndOverwriteFreedMemory() {
        for (int i = 0; i < 2; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ByteBuffer> blocks = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer block = ByteBuffer.allocateDirect(16);
            while (block.hasRemaining()) {
                block.put((byte) 0xFF); // all bits set: NaN as a float and as a double
            }
            blocks.add(block);
        }
        return blocks;
    }
}
