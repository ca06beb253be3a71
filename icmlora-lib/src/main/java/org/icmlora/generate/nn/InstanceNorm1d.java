package org.icmlora.generate.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;

/**
 * Instance normalisation of {@code [B, C, L]} arrays over the length axis, without learned scale or shift (PyTorch's
 * {@code InstanceNorm1d} defaults), which DJL does not provide: {@code (x - mean_L) / sqrt(var_L + 1e-5)}.
 */
public final class InstanceNorm1d {

    private static final float EPSILON = 1e-5f;

    private InstanceNorm1d() {}

    /** Normalises each (sample, channel) row of {@code x [B, C, L]}. */
    public static NDArray apply(NDArray x) {
        NDArray centred = x.sub(x.mean(new int[] {2}, true));
        NDArray variance = centred.square().mean(new int[] {2}, true);
        return centred.div(variance.add(EPSILON).sqrt());
    }

    /** The normalisation as a parameter-free block. */
    public static Block block() {
        return new LambdaBlock(list -> new NDList(apply(list.singletonOrThrow())), "instance_norm");
    }
}
