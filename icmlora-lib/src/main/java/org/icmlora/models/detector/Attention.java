package org.icmlora.models.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.icmlora.lora.LoraLinear;
import org.icmlora.models.attention.MultiHeadAttention;

/**
 * Multi-head self-attention over a token sequence [B, T, dim] ({@link MultiHeadAttention}), with its four
 * projections as {@link LoraLinear} layers named {@code <prefix>.q}, {@code .k}, {@code .v}, {@code .o} so that LoRA
 * can target them.
 */
final class Attention extends AbstractBlock {

    private final int heads;
    private final LoraLinear q;
    private final LoraLinear k;
    private final LoraLinear v;
    private final LoraLinear o;

    Attention(String prefix, int dim, int heads) {
        this.heads = heads;
        q = addChildBlock("q", new LoraLinear(prefix + ".q", dim, dim, true));
        k = addChildBlock("k", new LoraLinear(prefix + ".k", dim, dim, true));
        v = addChildBlock("v", new LoraLinear(prefix + ".v", dim, dim, true));
        o = addChildBlock("o", new LoraLinear(prefix + ".o", dim, dim, true));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray mixed = MultiHeadAttention.mix(q.forward(store, inputs, training).head(),
                k.forward(store, inputs, training).head(), v.forward(store, inputs, training).head(), heads, null);
        return o.forward(store, new NDList(mixed), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (LoraLinear layer : new LoraLinear[] {q, k, v, o}) {
            layer.initialize(manager, dataType, inputShapes[0]);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
