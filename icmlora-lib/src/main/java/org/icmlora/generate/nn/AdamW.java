package org.icmlora.generate.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter: decoupled weight decay plus the bias-corrected Adam step, computed by the engine's fused
 * kernel that DJL's own AdamW uses, one native call per parameter) with its moment estimates held in the open, so that a checkpoint can store them and a resumed run continues exactly where
 * the interrupted one stopped. DJL's built-in optimisers keep that state private, which would make a resumed run
 * restart its moments from zero.
 *
 * <p>{@link #step} reads each trainable parameter's gradient, updates the parameter in place and zeroes the gradient
 * (the PyTorch engine accumulates gradients across backward passes otherwise).
 */
public final class AdamW implements AutoCloseable {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final float weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private int steps;

    /** An optimiser with decoupled weight decay {@code weightDecay}; its state lives in a sub-manager of {@code parent}. */
    public AdamW(float weightDecay, NDManager parent) {
        this.weightDecay = weightDecay;
        this.manager = parent.newSubManager();
    }

    /** Number of updates made so far. */
    public int steps() {
        return steps;
    }

    /** One update of every parameter in {@code parameters} that requires a gradient, at learning rate {@code lr}. */
    public void step(List<Pair<String, Parameter>> parameters, float lr) {
        steps++;
        float biasCorrectedLr = (float) (lr * Math.sqrt(1 - Math.pow(BETA2, steps)) / (1 - Math.pow(BETA1, steps)));
        for (Pair<String, Parameter> entry : parameters) {
            Parameter parameter = entry.getValue();
            if (!parameter.requiresGradient()) {
                continue;
            }
            NDArray weight = parameter.getArray();
            NDArray m = firstMoments.computeIfAbsent(entry.getKey(), k -> manager.zeros(weight.getShape()));
            NDArray v = secondMoments.computeIfAbsent(entry.getKey(), k -> manager.zeros(weight.getShape()));
            try (NDArray grad = weight.getGradient()) {
                weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, m, v), new NDList(weight), lr,
                        biasCorrectedLr, weightDecay, 1f, -1f, BETA1, BETA2, EPSILON, false, true);
                grad.subi(grad);
            }
        }
    }

    /** The moments as named arrays ({@code adamw.m.<parameter>}, {@code adamw.v.<parameter>}) for a checkpoint. */
    public NDList state() {
        NDList list = new NDList();
        firstMoments.forEach((name, array) -> list.add(named(array, "adamw.m." + name)));
        secondMoments.forEach((name, array) -> list.add(named(array, "adamw.v." + name)));
        return list;
    }

    /** Restores the moments saved by {@link #state()} (found by name in {@code stored}) and the step count. */
    public void restore(NDList stored, int stepCount) {
        close();
        for (NDArray array : stored) {
            String name = array.getName();
            if (name != null && name.startsWith("adamw.")) {
                NDArray copy = array.duplicate();
                copy.attach(manager);
                (name.startsWith("adamw.m.") ? firstMoments : secondMoments).put(name.substring(8), copy);
            }
        }
        steps = stepCount;
    }

    private NDArray named(NDArray array, String name) {
        NDArray copy = array.duplicate();
        copy.setName(name);
        return copy;
    }

    /** Frees the moment arrays. */
    @Override
    public void close() {
        firstMoments.values().forEach(NDArray::close);
        secondMoments.values().forEach(NDArray::close);
        firstMoments.clear();
        secondMoments.clear();
    }
}
