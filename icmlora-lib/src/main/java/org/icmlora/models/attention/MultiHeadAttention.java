package org.icmlora.models.attention;

import ai.djl.ndarray.NDArray;
import org.icmlora.engine.Scalars;

/**
 * The attention step that the kit's transformers (the GPT and the detector) share, after their own q, k, v
 * projections and before their output projection:
 * <pre>
 *   per head h:  softmax( q_h k_h^T / sqrt(d_head) + mask ) v_h        then the heads side by side again
 * </pre>
 * The projections stay in the models as {@code LoraLinear} layers, so LoRA targets them by name.
 */
public final class MultiHeadAttention {

    private MultiHeadAttention() {}

    /**
     * Mixes the values of {@code [B, T, d]} queries, keys and values over {@code heads} heads of {@code d / heads}
     * features; {@code additiveMask [T, T]} (0 = may attend, a large negative number = may not) or null for none.
     * Returns {@code [B, T, d]}.
     */
    public static NDArray mix(NDArray queries, NDArray keys, NDArray values, int heads, NDArray additiveMask) {
        long batch = queries.getShape().get(0);
        long tokens = queries.getShape().get(1);
        long dim = queries.getShape().get(2);
        if (dim % heads != 0) {
            throw new IllegalArgumentException("width " + dim + " does not split into " + heads + " heads");
        }
        long headDim = dim / heads;
        NDArray q = splitHeads(queries, heads);
        NDArray k = splitHeads(keys, heads);
        NDArray v = splitHeads(values, heads);
        NDArray scores = Scalars.dividedBy(q.matMul(k.transpose(0, 1, 3, 2)), Math.sqrt(headDim));
        if (additiveMask != null) {
            scores = scores.add(additiveMask);
        }
        return scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(batch, tokens, dim);
    }

    /** [B, T, d] to [B, heads, T, d / heads]. */
    private static NDArray splitHeads(NDArray x, int heads) {
        long[] shape = x.getShape().getShape();
        return x.reshape(shape[0], shape[1], heads, shape[2] / heads).transpose(0, 2, 1, 3);
    }
}
