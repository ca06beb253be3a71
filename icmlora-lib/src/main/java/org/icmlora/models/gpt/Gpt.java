package org.icmlora.models.gpt;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.icmlora.engine.Scalars;
import org.icmlora.lora.LoraLinear;
import org.icmlora.models.attention.MultiHeadAttention;

/**
 * A small decoder-only transformer in the GPT-2 layout, written out top to bottom in {@link #forwardInternal}:
 *
 * <pre>
 * x = tok_emb[tokens] + pos_emb[0..T)
 * for each block i:
 *     x = x + attn.o( causal_softmax( q k^T / sqrt(d_head) ) v )     with q, k, v = attn.{q,k,v}( ln1(x) )
 *     x = x + mlp.proj( gelu( mlp.fc( ln2(x) ) ) )
 * h = ln_f(x);  logits = h tok_emb^T (tied) or head(h)
 * </pre>
 *
 * Every projection is a {@link LoraLinear} named {@code blocks.<i>.attn.{q,k,v,o}}, {@code blocks.<i>.mlp.{fc,proj}}
 * (and {@code head} when untied), so LoRA targets them by name. The input is {@code [B, T]} token ids; the output is
 * {@code [logits [B, T, V], h [B, T, d]]}, h being the last layer's (normalised) hidden states that task vectors use.
 * Weights start as in GPT-2: N(0, 0.02) for matrices and embeddings, zero biases, unit LayerNorm gains.
 */
public final class Gpt extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float NORM_EPSILON = 1e-5f;

    private final GptConfig config;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<BlockLayers> blocks = new ArrayList<>();
    private final Norm finalNorm;
    private final LoraLinear head;
    private final Map<String, Parameter> named = new LinkedHashMap<>();

    /** LayerNorm gain and shift. */
    private record Norm(Parameter gamma, Parameter beta) {}

    /** The layers of one transformer block. */
    private record BlockLayers(Norm ln1, LoraLinear q, LoraLinear k, LoraLinear v, LoraLinear o, Norm ln2,
            LoraLinear fc, LoraLinear proj) {}

    /** An uninitialised model of the given sizes; call {@link #initialize(NDManager)} before use. */
    public Gpt(GptConfig config) {
        super(VERSION);
        this.config = config;
        int d = config.width();
        tokenEmbedding = parameter("tok_emb", Parameter.Type.WEIGHT, new Shape(config.vocabSize(), d));
        positionEmbedding = parameter("pos_emb", Parameter.Type.WEIGHT, new Shape(config.contextLength(), d));
        for (int i = 0; i < config.layers(); i++) {
            String p = "blocks." + i + ".";
            blocks.add(new BlockLayers(norm(p + "ln1"), linear(p + "attn.q", d, d), linear(p + "attn.k", d, d),
                    linear(p + "attn.v", d, d), linear(p + "attn.o", d, d), norm(p + "ln2"),
                    linear(p + "mlp.fc", d, 4 * d), linear(p + "mlp.proj", 4 * d, d)));
        }
        finalNorm = norm("ln_f");
        head = config.tiedHead() ? null : linear("head", d, config.vocabSize());
        setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
    }

    /** Initialises every weight on {@code manager}'s device. */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, config.contextLength()));
    }

    /** The sizes. */
    public GptConfig config() {
        return config;
    }

    /**
     * Every weight by its kit name ({@code tok_emb}, {@code blocks.0.attn.q.weight}, {@code blocks.0.ln1.gamma},
     * {@code ln_f.beta}, ...), in model order; LoRA factors are not included. The names are those of
     * {@link GptWeights}' files.
     */
    public Map<String, Parameter> namedWeights() {
        return Collections.unmodifiableMap(named);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray tokens = inputs.head();
        long length = tokens.getShape().get(1);
        if (length > config.contextLength()) {
            throw new IllegalArgumentException("sequence of " + length + " tokens exceeds the model's context of "
                    + config.contextLength());
        }
        Device device = tokens.getDevice();
        NDArray tokenTable = store.getValue(tokenEmbedding, device, training);
        NDArray positions = store.getValue(positionEmbedding, device, training).get(new NDIndex(":{}", length));
        positions.attach(tokens.getManager()); // a view made from a weight: free it with this pass's arrays
        NDArray x = Embedding.embedding(tokens, tokenTable, SparseFormat.DENSE).head().add(positions);
        NDArray mask = causalMask(tokens.getManager(), length);
        for (BlockLayers b : blocks) {
            NDArray h = norm(store, b.ln1(), x, training);
            NDArray mixed = MultiHeadAttention.mix(apply(store, b.q(), h, training), apply(store, b.k(), h, training),
                    apply(store, b.v(), h, training), config.heads(), mask);
            x = x.add(apply(store, b.o(), mixed, training));
            h = norm(store, b.ln2(), x, training);
            x = x.add(apply(store, b.proj(), Activation.gelu(apply(store, b.fc(), h, training)), training));
        }
        NDArray hidden = norm(store, finalNorm, x, training);
        NDArray logits;
        if (head == null) {
            NDArray tableTransposed = tokenTable.transpose();
            tableTransposed.attach(tokens.getManager());
            logits = hidden.matMul(tableTransposed);
        } else {
            logits = apply(store, head, hidden, training);
        }
        return new NDList(logits, hidden);
    }

    /**
     * log p(target) at every position: {@code logits [B, T, V]} from {@link #forward}, {@code targets [B, T]} token ids
     * (int64); the result is {@code [B, T, 1]}.
     */
    public static NDArray targetLogProbabilities(NDArray logits, NDArray targets) {
        Shape shape = targets.getShape();
        return logits.logSoftmax(-1).gather(targets.reshape(shape.get(0), shape.get(1), 1), -1);
    }

    /** The training loss: mean negative log-likelihood of {@code targets [B, T]} under {@code logits [B, T, V]}. */
    public static NDArray meanNextTokenLoss(NDArray logits, NDArray targets) {
        return Scalars.dividedBy(targetLogProbabilities(logits, targets).sum().neg(), targets.getShape().size());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), config.vocabSize()),
            new Shape(in.get(0), in.get(1), config.width())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (var child : getChildren().values()) {
            LoraLinear linear = (LoraLinear) child;
            linear.initialize(manager, dataType, new Shape(1, linear.inFeatures()));
        }
    }

    /** Additive mask [T, T]: 0 where a position may attend, -1e9 for the future. */
    private static NDArray causalMask(NDManager manager, long length) {
        NDArray positions = manager.arange((int) length);
        NDArray future = positions.reshape(1, length).gt(positions.reshape(length, 1));
        return future.toType(DataType.FLOAT32, false).mul(-1e9f);
    }

    private static NDArray apply(ParameterStore store, LoraLinear layer, NDArray x, boolean training) {
        return layer.forward(store, new NDList(x), training).head();
    }

    private static NDArray norm(ParameterStore store, Norm norm, NDArray x, boolean training) {
        Device device = x.getDevice();
        return LayerNorm.layerNorm(x, new Shape(x.getShape().get(x.getShape().dimension() - 1)),
                store.getValue(norm.gamma(), device, training), store.getValue(norm.beta(), device, training),
                NORM_EPSILON).head();
    }

    private Parameter parameter(String name, Parameter.Type type, Shape shape) {
        Parameter parameter = addParameter(Parameter.builder().setName(name).setType(type).optShape(shape).build());
        named.put(name, parameter);
        return parameter;
    }

    private Norm norm(String name) {
        int d = config.width();
        return new Norm(parameter(name + ".gamma", Parameter.Type.GAMMA, new Shape(d)),
                parameter(name + ".beta", Parameter.Type.BETA, new Shape(d)));
    }

    private LoraLinear linear(String name, int in, int out) {
        LoraLinear layer = addChildBlock(name, new LoraLinear(name, in, out, true));
        layer.getParameters().forEach(p -> named.put(name + "." + p.getKey(), p.getValue()));
        return layer;
    }
}
