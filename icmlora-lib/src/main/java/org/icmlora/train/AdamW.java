package org.icmlora.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter: Adam with decoupled weight decay) whose state can be saved and restored, so a
 * resumed training run continues exactly where the killed one stopped. DJL's own optimizers keep their moments
 * private; this one exposes them by parameter name.
 *
 * <p>Per step t and parameter w with gradient g: {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * w -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps) + lr wd w}. Gradients are zeroed after the update (PyTorch
 * accumulates them otherwise).
 */
public final class AdamW {

    private final float learningRate;
    private final float weightDecay;
    private final float beta1 = 0.9f;
    private final float beta2 = 0.999f;
    private final float epsilon = 1e-8f;
    private final NDManager manager;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private int steps;

    /** An optimizer whose moment arrays live in {@code manager}. */
    public AdamW(float learningRate, float weightDecay, NDManager manager) {
        if (!(learningRate > 0) || weightDecay < 0) {
            throw new IllegalArgumentException("AdamW needs learning rate > 0 and weight decay >= 0, got "
                    + learningRate + " and " + weightDecay);
        }
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.manager = manager;
    }

    /** Updates every parameter of {@code trainable} (by name) from its gradient, then zeroes the gradients. */
    public void step(Map<String, Parameter> trainable) {
        step(trainable, learningRate);
    }

    /**
     * The same update at learning rate {@code learningRate} instead of the constructor's, for schedules that change
     * the rate per epoch (the CVAE's cosine option).
     */
    public void step(Map<String, Parameter> trainable, float learningRate) {
        steps++;
        float correction1 = 1 - (float) Math.pow(beta1, steps);
        float correction2 = 1 - (float) Math.pow(beta2, steps);
        for (var entry : trainable.entrySet()) {
            NDArray w = entry.getValue().getArray();
            NDArray g = w.getGradient();
            NDArray m = firstMoments.computeIfAbsent(entry.getKey(), k -> manager.zeros(w.getShape()));
            NDArray v = secondMoments.computeIfAbsent(entry.getKey(), k -> manager.zeros(w.getShape()));
            try (NDArray scaledGradient = g.mul(1 - beta1); NDArray squared = g.square()) {
                m.muli(beta1).addi(scaledGradient);
                v.muli(beta2).addi(squared.muli(1 - beta2));
            }
            try (NDArray corrected = v.div(correction2); NDArray denominator = corrected.sqrt().addi(epsilon);
                 NDArray update = m.div(denominator)) {
                update.muli(learningRate / correction1);
                if (weightDecay > 0) {
                    try (NDArray decay = w.mul(learningRate * weightDecay)) {
                        update.addi(decay);
                    }
                }
                w.subi(update);
            }
            g.subi(g);
            g.close(); // only this handle: the gradient itself stays with the parameter
        }
    }

    /** Steps taken so far. */
    public int steps() {
        return steps;
    }

    /** The state as named arrays ({@code m/<param>}, {@code v/<param>}); copy them before the manager closes. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        firstMoments.forEach((name, m) -> state.put("m/" + name, m));
        secondMoments.forEach((name, v) -> state.put("v/" + name, v));
        return state;
    }

    /** Restores a state saved from {@link #state()} after {@code stepsTaken} steps. */
    public void restore(Map<String, NDArray> state, int stepsTaken) {
        firstMoments.clear();
        secondMoments.clear();
        state.forEach((name, array) -> {
            NDArray copy = manager.create(array.toFloatArray(), array.getShape());
            if (name.startsWith("m/")) {
                firstMoments.put(name.substring(2), copy);
            } else if (name.startsWith("v/")) {
                secondMoments.put(name.substring(2), copy);
            } else {
                throw new IllegalArgumentException("optimizer state has an unknown entry " + name);
            }
        });
        steps = stepsTaken;
    }
}
