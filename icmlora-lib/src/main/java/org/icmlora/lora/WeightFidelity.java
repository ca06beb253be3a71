package org.icmlora.lora;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How close one adapter's numbers are to another's (a generated adapter to a stored checkpoint, for example): the
 * cosine similarity and the relative L2 error {@code |candidate - reference| / |reference|}, per LoRA tensor (A and B
 * of every layer), per layer's weight update {@code dW = s B A}, and over the whole flat vector.
 *
 * <p>Why both levels: a LoRA update is a product, and different factors can give the same {@code dW}. The kit starts
 * every task's A from the same initialisation, so the A tensors of two tasks' adapters stay alike whatever the tasks
 * are; {@code dW} is what the model actually adds to its weights, so it is the fairer comparison of what two adapters
 * do. Cosine and relative error are NaN where they are undefined (a tensor of zeros).
 */
public final class WeightFidelity {

    /**
     * One compared tensor.
     *
     * @param name          {@code <layer>.lora_A}, {@code <layer>.lora_B}, {@code <layer>.delta} (s B A) or
     *                      {@code "all"} (the whole flat vector)
     * @param size          number of values compared
     * @param cosine        cosine similarity of candidate and reference, in [-1, 1]
     * @param relativeError {@code |candidate - reference|_2 / |reference|_2}
     */
    public record Entry(String name, int size, double cosine, double relativeError) {}

    private WeightFidelity() {}

    /** One entry per LoRA tensor, in flat-vector order (per layer A, then B). */
    public static List<Entry> perTensor(Adapter candidate, Adapter reference) {
        LoraLayout layout = sameLayout(candidate, reference);
        List<Entry> entries = new ArrayList<>();
        for (LoraLayout.Tensor tensor : layout.tensors()) {
            entries.add(compare(tensor.name(), slice(candidate.values(), tensor), slice(reference.values(), tensor)));
        }
        return entries;
    }

    /** One entry per adapted layer, comparing the weight updates {@code s B A} ([out, in]) the two adapters add. */
    public static List<Entry> perLayerUpdate(Adapter candidate, Adapter reference) {
        LoraLayout layout = sameLayout(candidate, reference);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < layout.layers().size(); i++) {
            entries.add(compare(layout.layers().get(i).name() + ".delta", update(candidate, i), update(reference, i)));
        }
        return entries;
    }

    /** The whole flat vectors compared. */
    public static Entry whole(Adapter candidate, Adapter reference) {
        sameLayout(candidate, reference);
        return compare("all", candidate.values(), reference.values());
    }

    /** The weight update {@code s B A} of layer {@code i} of {@code adapter}, row-major [out, in]. */
    static float[] update(Adapter adapter, int i) {
        LoraLayout layout = adapter.layout();
        LoraLayout.Layer layer = layout.layers().get(i);
        int r = layout.rank();
        int in = layer.inFeatures();
        int out = layer.outFeatures();
        float[] v = adapter.values();
        int a = layout.offsetOfA(i);
        int b = layout.offsetOfB(i);
        float[] delta = new float[out * in];
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < in; j++) {
                double sum = 0;
                for (int k = 0; k < r; k++) {
                    sum += (double) v[b + o * r + k] * v[a + k * in + j];
                }
                delta[o * in + j] = (float) (layout.scaling() * sum);
            }
        }
        return delta;
    }

    private static Entry compare(String name, float[] candidate, float[] reference) {
        double dot = 0;
        double candidateSquares = 0;
        double referenceSquares = 0;
        double errorSquares = 0;
        for (int i = 0; i < candidate.length; i++) {
            double c = candidate[i];
            double r = reference[i];
            dot += c * r;
            candidateSquares += c * c;
            referenceSquares += r * r;
            errorSquares += (c - r) * (c - r);
        }
        double norms = Math.sqrt(candidateSquares) * Math.sqrt(referenceSquares);
        double cosine = norms > 0 ? Math.max(-1, Math.min(1, dot / norms)) : Double.NaN;
        double relativeError = referenceSquares > 0 ? Math.sqrt(errorSquares / referenceSquares) : Double.NaN;
        return new Entry(name, candidate.length, cosine, relativeError);
    }

    private static float[] slice(float[] values, LoraLayout.Tensor tensor) {
        return Arrays.copyOfRange(values, tensor.offset(), tensor.offset() + tensor.size());
    }

    private static LoraLayout sameLayout(Adapter candidate, Adapter reference) {
        if (!candidate.layout().equals(reference.layout())) {
            throw new IllegalArgumentException("cannot compare adapters of different layouts: " + candidate
                    + " vs " + reference + "; compare adapters of one model, rank and target set");
        }
        return reference.layout();
    }
}
