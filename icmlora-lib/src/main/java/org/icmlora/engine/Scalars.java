package org.icmlora.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant for code that builds an autograd graph: use {@code Scalars.times(x, 0.5)} where
 * {@code x.mul(0.5)} would be written.
 *
 * <p>Why: DJL's PyTorch engine (0.35.1, CPU) implements {@code x.mul(Number)}, {@code div}, {@code maximum} and the
 * other {@code Number} overloads with a 0-d tensor made over a Java direct buffer without copying, and closes that
 * tensor as soon as the operation returns. Autograd keeps it for the backward pass ({@code d(x*c)/dx = c}); once the
 * garbage collector has freed the buffer, the backward pass reads freed memory and the gradients turn to NaN or
 * garbage, at random. This was the cause of the kit's sporadic "training diverged (loss NaN)" in LoRA runs: a falling
 * loss, finite weights, then NaN gradients in one step. A test that collects garbage between forward and backward
 * gets NaN gradients through {@code x.mul(2f)} in 20 of 20 trials and the right ones through {@link #times}. The
 * constants made here are allocated by PyTorch and owned by the tensor, so autograd keeps them alive itself.
 *
 * <p>Code without gradients (optimizer updates, evaluation) may keep DJL's overloads: the constant is read before
 * the operation returns.
 */
public final class Scalars {

    private Scalars() {}

    /** A 0-d tensor holding {@code value}, of {@code like}'s data type, in {@code like}'s manager (and so device). */
    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    /** {@code x * factor}. */
    public static NDArray times(NDArray x, double factor) {
        return x.mul(of(x, factor));
    }

    /** {@code x / divisor}. */
    public static NDArray dividedBy(NDArray x, double divisor) {
        return x.div(of(x, divisor));
    }

    /** {@code max(x, floor)} element-wise. */
    public static NDArray atLeast(NDArray x, double floor) {
        return x.maximum(of(x, floor));
    }
}
