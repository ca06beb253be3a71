package org.icmlora.models.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.icmlora.lora.LoraLinear;

/**
 * One transformer block of the detector over [prompt token; grid-cell tokens] ([B, 1 + cells, dim]):
 * <pre>
 *   x = x + attn(norm1(x))                                  every cell can read the prompt token and vice versa
 *   gamma, beta = film(x[:, 0])                             the prompt token sets a per-channel scale and shift
 *   x = x + mlp.proj(gelu(mlp.fc(norm2(x) * (1 + gamma) + beta)))
 * </pre>
 * The feature-wise modulation (FiLM) lets the prompt switch cell features on and off directly, which a detector that
 * must find only the named garment needs. Layers: {@code blocks.<i>.attn.{q,k,v,o}}, {@code blocks.<i>.film},
 * {@code blocks.<i>.mlp.{fc,proj}}, all {@link LoraLinear}.
 */
final class DetectorBlock extends AbstractBlock {

    private final int dim;
    private final LayerNorm norm1;
    private final Attention attention;
    private final LoraLinear film;
    private final LayerNorm norm2;
    private final LoraLinear fc;
    private final LoraLinear proj;

    DetectorBlock(int index, int dim, int heads, int mlpWidth) {
        this.dim = dim;
        String prefix = "blocks." + index;
        norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).build());
        attention = addChildBlock("attn", new Attention(prefix + ".attn", dim, heads));
        film = addChildBlock("film", new LoraLinear(prefix + ".film", dim, 2 * dim, true));
        norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).build());
        fc = addChildBlock("fc", new LoraLinear(prefix + ".mlp.fc", dim, mlpWidth, true));
        proj = addChildBlock("proj", new LoraLinear(prefix + ".mlp.proj", mlpWidth, dim, true));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        x = x.add(attention.forward(store, norm1.forward(store, new NDList(x), training), training).head());
        NDArray prompt = x.get(new NDIndex(":, 0, :"));
        NDArray modulation = film.forward(store, new NDList(prompt), training).head().expandDims(1);
        NDArray gamma = modulation.get(new NDIndex(":, :, :" + dim));
        NDArray beta = modulation.get(new NDIndex(":, :, " + dim + ":"));
        NDArray h = norm2.forward(store, new NDList(x), training).head().mul(gamma.add(1)).add(beta);
        h = Activation.gelu(fc.forward(store, new NDList(h), training).head());
        return new NDList(x.add(proj.forward(store, new NDList(h), training).head()));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape tokens = inputShapes[0];
        norm1.initialize(manager, dataType, tokens);
        attention.initialize(manager, dataType, tokens);
        film.initialize(manager, dataType, new Shape(tokens.get(0), dim));
        norm2.initialize(manager, dataType, tokens);
        fc.initialize(manager, dataType, tokens);
        proj.initialize(manager, dataType, new Shape(tokens.get(0), tokens.get(1), fc.outFeatures()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
