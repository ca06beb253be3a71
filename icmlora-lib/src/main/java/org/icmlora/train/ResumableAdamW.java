package org.icmlora.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.icmlora.store.AtomicFiles;

/**
 * AdamW (decoupled weight decay) whose moments can be saved and restored, so that a training run resumed from an
 * epoch checkpoint continues exactly as the uninterrupted run would (DJL's own optimizers keep their state private).
 *
 * <p>Update of a parameter w with gradient g at step t: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code w -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps) + lr wd w}. Parameters are identified by name, in the
 * order given to the constructor.
 */
public final class ResumableAdamW implements AutoCloseable {

    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final NDManager manager;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private int step;

    /**
     * An optimizer for {@code trainable} (name to parameter; every one must require gradients), with the usual
     * betas (0.9, 0.999), epsilon 1e-8 and the given weight decay. Its state lives in a sub-manager of {@code parent}.
     */
    public ResumableAdamW(Map<String, Parameter> trainable, float weightDecay, NDManager parent) {
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("nothing to optimise: no trainable parameters were given");
        }
        this.manager = parent.newSubManager();
        this.beta1 = 0.9f;
        this.beta2 = 0.999f;
        this.epsilon = 1e-8f;
        this.weightDecay = weightDecay;
        trainable.forEach((name, p) -> {
            parameters.put(name, p);
            firstMoments.put(name, manager.zeros(p.getArray().getShape()));
            secondMoments.put(name, manager.zeros(p.getArray().getShape()));
        });
    }

    /** Steps taken so far. */
    public int steps() {
        return step;
    }

    /** One update of every parameter with its current gradient at learning rate {@code lr}; then clears the gradients. */
    public void update(float lr) {
        step++;
        float correction1 = (float) (1 - Math.pow(beta1, step));
        float correction2 = (float) (1 - Math.pow(beta2, step));
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            NDArray weight = entry.getValue().getArray();
            NDArray grad = weight.getGradient();
            NDArray m = firstMoments.get(entry.getKey());
            NDArray v = secondMoments.get(entry.getKey());
            try (NDArray scaledGrad = grad.mul(1 - beta1); NDArray squaredGrad = grad.square().muli(1 - beta2)) {
                m.muli(beta1).addi(scaledGrad);
                v.muli(beta2).addi(squaredGrad);
            }
            try (NDArray corrected = v.div(correction2); NDArray denominator = corrected.sqrt().addi(epsilon);
                    NDArray change = m.div(correction1).divi(denominator).muli(lr)) {
                if (weightDecay > 0) {
                    try (NDArray decay = weight.mul(lr * weightDecay)) {
                        change.addi(decay);
                    }
                }
                weight.subi(change);
            }
            grad.muli(0);
        }
    }

    /** Writes the step count and both moments of every parameter to {@code file} (atomically). */
    public void save(Path file) {
        NDList state = new NDList();
        NDArray count = manager.create(new int[] {step});
        count.setName("step");
        state.add(count);
        for (String name : parameters.keySet()) {
            NDArray m = firstMoments.get(name).duplicate();
            m.setName("m:" + name);
            NDArray v = secondMoments.get(name).duplicate();
            v.setName("v:" + name);
            state.add(m);
            state.add(v);
        }
        AtomicFiles.write(file, out -> out.write(state.encode(NDList.Encoding.SAFETENSORS)));
        state.close();
    }

    /** Restores what {@link #save} wrote; fails when the file was written for other parameters. */
    public void load(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
                NDManager scratch = manager.newSubManager()) {
            NDList state = NDList.decode(scratch, in);
            Map<String, NDArray> byName = new LinkedHashMap<>();
            state.forEach(a -> byName.put(a.getName(), a));
            if (!byName.containsKey("step")) {
                throw new IllegalArgumentException(file + " is not an optimizer state (no 'step' entry)");
            }
            for (String name : parameters.keySet()) {
                NDArray m = byName.get("m:" + name);
                NDArray v = byName.get("v:" + name);
                if (m == null || v == null || !m.getShape().equals(firstMoments.get(name).getShape())) {
                    throw new IllegalArgumentException(file + " holds no matching state for parameter " + name
                            + "; it was written for another model or adapter");
                }
                firstMoments.get(name).set(m.toFloatArray());
                secondMoments.get(name).set(v.toFloatArray());
            }
            step = byName.get("step").toIntArray()[0];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read optimizer state " + file, e);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
