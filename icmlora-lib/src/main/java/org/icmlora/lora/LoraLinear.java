package org.icmlora.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import java.util.List;
import org.icmlora.engine.Scalars;

/**
 * A linear layer that can carry a LoRA adapter: {@code y = x W^T + b + s * (dropout(x) A^T) B^T}.
 *
 * <p>Models of the kit build every layer that LoRA may target as a {@code LoraLinear} with a stable, PEFT-style name
 * ({@code "blocks.0.attn.q"}). Without an adapter it is an ordinary linear layer. {@link #attach} adds A (r x in)
 * and B (out x r) as trainable parameters and freezes W and b, so training touches only the adapter;
 * {@link #merge()} folds {@code s B A} into W for inference, {@link #unmerge()} takes it out again.
 *
 * <p>For evaluating many adapters at once, {@link #attachStack} attaches k of them, one per group of rows, as LoRA
 * serving systems batch requests for different adapters: the input's leading dimension holds k equal groups and group
 * i computes {@code x W^T + b + s * (x A_i^T) B_i^T}. Each group gets exactly the numbers one adapter alone would
 * give (the same matrix products, batched).
 */
public final class LoraLinear extends AbstractBlock {

    private static final byte VERSION = 1;

    private final String name;
    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;
    private Parameter loraA;
    private Parameter loraB;
    private NDArray stackA;
    private NDArray stackB;
    private LoraConfig config;
    private boolean merged;

    /** A linear layer named {@code name} mapping {@code in} features to {@code out}, with or without bias. */
    public LoraLinear(String name, int in, int out, boolean withBias) {
        super(VERSION);
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("layer " + name + " needs positive sizes, got in=" + in + " out=" + out);
        }
        this.name = name;
        this.inFeatures = in;
        this.outFeatures = out;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in)).build());
        bias = withBias ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(out)).build()) : null;
    }

    /** The layer's name in its model, the key LoRA targets and checkpoints use. */
    public String name() {
        return name;
    }

    /** Input features. */
    public int inFeatures() {
        return inFeatures;
    }

    /** Output features. */
    public int outFeatures() {
        return outFeatures;
    }

    /** The base weight W, [out, in]. */
    public NDArray weight() {
        return weight.getArray();
    }

    /** The base bias b, [out], or null when the layer has none. */
    public NDArray bias() {
        return bias == null ? null : bias.getArray();
    }

    /** True when an adapter is attached. */
    public boolean hasAdapter() {
        return config != null;
    }

    /** The attached adapter's configuration; fails when none is attached. */
    public LoraConfig adapterConfig() {
        requireAdapter();
        return config;
    }

    /** Adapter factor A, [r, in]. */
    public NDArray loraA() {
        requireSingleAdapter();
        return loraA.getArray();
    }

    /** Adapter factor B, [out, r]. */
    public NDArray loraB() {
        requireSingleAdapter();
        return loraB.getArray();
    }

    /** The number of adapters attached by {@link #attachStack}, 1 for one attached by {@link #attach}. */
    public int adapterCount() {
        requireAdapter();
        return stackA == null ? 1 : Math.toIntExact(stackA.getShape().get(0));
    }

    /** True while {@code s B A} is folded into W. */
    public boolean isMerged() {
        return merged;
    }

    /**
     * Attaches a fresh adapter (A initialised as {@code config.init()} says, B = 0) and freezes W and b. The layer
     * must be initialised; A and B belong to {@code manager}, which must stay open while the adapter is used and
     * must be on W's device.
     */
    public void attach(LoraConfig adapter, NDManager manager) {
        if (!weight.isInitialized()) {
            throw new IllegalStateException("layer " + name + " must be initialised before an adapter is attached");
        }
        if (!manager.getDevice().equals(weight.getArray().getDevice())) {
            throw new IllegalArgumentException("layer " + name + " lives on " + weight.getArray().getDevice()
                    + " but the adapter's manager is on " + manager.getDevice() + "; use KitEngine.newManager()");
        }
        if (hasAdapter()) {
            throw new IllegalStateException("layer " + name + " already has an adapter; detach() it first");
        }
        int r = adapter.rank();
        loraA = addParameter(Parameter.builder().setName("lora_A").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(r, inFeatures)).build());
        loraB = addParameter(Parameter.builder().setName("lora_B").setType(Parameter.Type.WEIGHT).build());
        loraA.setInitializer(adapter.init() == LoraConfig.Init.GAUSSIAN
                ? new NormalInitializer(1f / r)
                : new UniformInitializer((float) (1.0 / Math.sqrt(inFeatures))));
        loraA.initialize(manager, DataType.FLOAT32);
        loraB.setArray(manager.zeros(new Shape(outFeatures, r)));
        loraA.getArray().setRequiresGradient(true);
        loraB.getArray().setRequiresGradient(true);
        weight.freeze(true);
        if (bias != null) {
            bias.freeze(true);
        }
        config = adapter;
        merged = false;
    }

    /**
     * Attaches k adapters for batched inference: {@code a} holds each adapter's A ([r, in] row-major) and {@code b}
     * its B ([out, r]); the input's leading dimension must then be k equal groups of rows, group i going through
     * adapter i. They are frozen constants on {@code manager} (no gradients, no merging); W and b are frozen.
     */
    public void attachStack(LoraConfig adapter, List<float[]> a, List<float[]> b, NDManager manager) {
        if (hasAdapter()) {
            throw new IllegalStateException("layer " + name + " already has an adapter; detach() it first");
        }
        int r = adapter.rank();
        int k = a.size();
        if (k < 1 || b.size() != k) {
            throw new IllegalArgumentException("layer " + name + ": a stack needs as many A as B factors, at least"
                    + " one, got " + a.size() + " and " + b.size());
        }
        float[] allA = new float[k * r * inFeatures];
        float[] allB = new float[k * outFeatures * r];
        for (int i = 0; i < k; i++) {
            if (a.get(i).length != r * inFeatures || b.get(i).length != outFeatures * r) {
                throw new IllegalArgumentException("layer " + name + ": adapter " + i + " of rank " + r + " needs A of "
                        + r * inFeatures + " and B of " + outFeatures * r + " values, got " + a.get(i).length
                        + " and " + b.get(i).length);
            }
            System.arraycopy(a.get(i), 0, allA, i * r * inFeatures, r * inFeatures);
            System.arraycopy(b.get(i), 0, allB, i * outFeatures * r, outFeatures * r);
        }
        stackA = manager.create(allA, new Shape(k, r, inFeatures));
        stackB = manager.create(allB, new Shape(k, outFeatures, r));
        weight.freeze(true);
        if (bias != null) {
            bias.freeze(true);
        }
        config = adapter;
        merged = false;
    }

    /**
     * Removes the adapter (unmerging it first) or the stack of adapters, so the layer computes {@code x W^T + b} again
     * and another adapter, for example of another rank, can be attached. W and b stay frozen as they were.
     */
    public void detach() {
        requireAdapter();
        if (stackA != null) {
            stackA.close();
            stackB.close();
            stackA = null;
            stackB = null;
            config = null;
            return;
        }
        unmerge();
        parameters.remove(loraA.getName());
        parameters.remove(loraB.getName());
        loraA.close();
        loraB.close();
        loraA = null;
        loraB = null;
        config = null;
    }

    /** Replaces A and B by the given values (copied); shapes must be [r, in] and [out, r]. */
    public void setAdapter(float[] a, float[] b) {
        requireSingleAdapter();
        int r = config.rank();
        if (a.length != r * inFeatures || b.length != outFeatures * r) {
            throw new IllegalArgumentException("layer " + name + ": adapter of rank " + r + " needs A of " + r * inFeatures
                    + " and B of " + outFeatures * r + " values, got " + a.length + " and " + b.length);
        }
        boolean wasMerged = merged;
        if (wasMerged) {
            unmerge();
        }
        loraA.getArray().set(a);
        loraB.getArray().set(b);
        if (wasMerged) {
            merge();
        }
    }

    /** Folds {@code s B A} into W; the forward pass then skips the adapter branch. Idempotent. */
    public void merge() {
        requireSingleAdapter();
        if (!merged) {
            try (NDArray delta = delta()) {
                weight.getArray().addi(delta);
            }
            merged = true;
        }
    }

    /** Takes {@code s B A} out of W again. Idempotent. */
    public void unmerge() {
        requireSingleAdapter();
        if (merged) {
            try (NDArray delta = delta()) {
                weight.getArray().subi(delta);
            }
            merged = false;
        }
    }

    /** The adapter's contribution to W: {@code s * B A}, [out, in], in a new array. */
    public NDArray delta() {
        requireSingleAdapter();
        return loraB.getArray().matMul(loraA.getArray()).muli(config.scale());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray y = bias == null ? Linear.linear(x, w).head()
                : Linear.linear(x, w, store.getValue(bias, x.getDevice(), training)).head();
        if (!hasAdapter() || merged) {
            return new NDList(y);
        }
        if (stackA != null) {
            return new NDList(y.add(Scalars.times(stackedBranch(x).reshape(y.getShape()), config.scale())));
        }
        NDArray adapterInput = training && config.dropout() > 0
                ? Dropout.dropout(x, config.dropout(), true).head() : x;
        NDArray down = Linear.linear(adapterInput, store.getValue(loraA, x.getDevice(), training)).head();
        NDArray up = Linear.linear(down, store.getValue(loraB, x.getDevice(), training)).head();
        return new NDList(y.add(Scalars.times(up, config.scale())));
    }

    /** {@code (x_i A_i^T) B_i^T} for every group i of rows: [k, rows / k, out]. */
    private NDArray stackedBranch(NDArray x) {
        long k = stackA.getShape().get(0);
        long rows = x.getShape().get(0);
        if (rows % k != 0) {
            throw new IllegalArgumentException("layer " + name + " carries " + k + " adapters but its input has " + rows
                    + " rows, not " + k + " equal groups");
        }
        NDArray groups = x.reshape(k, -1, inFeatures);
        return groups.matMul(stackA.transpose(0, 2, 1)).matMul(stackB.transpose(0, 2, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.get(in.dimension() - 1) != inFeatures) {
            throw new IllegalArgumentException("layer " + name + " expects " + inFeatures + " input features, got shape "
                    + in);
        }
        return new Shape[] {in.slice(0, in.dimension() - 1).add(outFeatures)};
    }

    @Override
    public String toString() {
        return "LoraLinear(" + name + ", " + inFeatures + " -> " + outFeatures
                + (hasAdapter() ? ", r=" + config.rank() + (merged ? ", merged" : "")
                        + (stackA != null ? ", " + adapterCount() + " adapters" : "") : "") + ")";
    }

    private void requireAdapter() {
        if (!hasAdapter()) {
            throw new IllegalStateException("layer " + name + " has no adapter attached");
        }
    }

    private void requireSingleAdapter() {
        requireAdapter();
        if (stackA != null) {
            throw new IllegalStateException("layer " + name + " carries a stack of " + adapterCount() + " adapters for"
                    + " batched inference; attach() one adapter to train, read or merge it");
        }
    }
}
