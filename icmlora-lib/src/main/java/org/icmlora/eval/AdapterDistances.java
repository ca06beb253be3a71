package org.icmlora.eval;

import java.util.ArrayList;
import java.util.List;
import org.icmlora.lora.LoraLayout;

/**
 * How far apart adapter vectors are, for the controls that ask whether a generator writes something new or returns
 * what it stored: Euclidean distances, the mean pairwise distance of a set, the memorisation index of a generated
 * adapter, and per-tensor fidelity (cosine similarity and relative L2 error) against a reference adapter. All in the
 * flat layout coordinates the generators learn in.
 */
public final class AdapterDistances {

    private AdapterDistances() {}

    /**
     * Cosine similarity and relative L2 error of one adapter tensor against the reference's.
     *
     * @param tensor     {@code <layer>.lora_A} or {@code <layer>.lora_B}
     * @param cosine     cosine similarity in [-1, 1] (NaN when either tensor is all zeros)
     * @param relativeL2 {@code ||x - reference|| / ||reference||} (infinite for an all-zero reference)
     */
    public record TensorFidelity(String tensor, double cosine, double relativeL2) {}

    /** Euclidean distance between two vectors of one length. */
    public static double distance(float[] a, float[] b) {
        requireSameLength(a, b);
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - (double) b[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    /** Mean Euclidean distance over all pairs of {@code vectors} (at least two). */
    public static double meanPairwiseDistance(List<float[]> vectors) {
        if (vectors.size() < 2) {
            throw new IllegalArgumentException("a pairwise distance needs at least two vectors, got "
                    + vectors.size());
        }
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < vectors.size(); i++) {
            for (int j = i + 1; j < vectors.size(); j++) {
                sum += distance(vectors.get(i), vectors.get(j));
                pairs++;
            }
        }
        return sum / pairs;
    }

    /**
     * The memorisation index of a generated adapter: its distance to the nearest of the {@code stored} checkpoints
     * (every checkpoint the generator was trained on), divided by the mean pairwise distance among the task's
     * {@code own} checkpoints (at least two). 0 means it returned a stored checkpoint; about the spread of the task's
     * own checkpoints (index near 1) means it is as far from the nearest as they are from each other.
     */
    public static double memorisationIndex(float[] generated, List<float[]> stored, List<float[]> own) {
        if (stored.isEmpty()) {
            throw new IllegalArgumentException("no stored checkpoints to compare with");
        }
        double spread = meanPairwiseDistance(own);
        if (!(spread > 0)) {
            throw new IllegalArgumentException("the task's own checkpoints are all equal: the index is undefined");
        }
        double nearest = Double.POSITIVE_INFINITY;
        for (float[] checkpoint : stored) {
            nearest = Math.min(nearest, distance(generated, checkpoint));
        }
        return nearest / spread;
    }

    /** Cosine similarity and relative L2 error of every tensor of {@code x} against {@code reference}. */
    public static List<TensorFidelity> perTensor(LoraLayout layout, float[] x, float[] reference) {
        layout.validate(x, "adapter");
        layout.validate(reference, "reference adapter");
        List<TensorFidelity> result = new ArrayList<>();
        for (LoraLayout.Tensor tensor : layout.tensors()) {
            double dot = 0;
            double xx = 0;
            double rr = 0;
            double diff = 0;
            for (int i = tensor.offset(); i < tensor.offset() + tensor.size(); i++) {
                dot += x[i] * (double) reference[i];
                xx += x[i] * (double) x[i];
                rr += reference[i] * (double) reference[i];
                double d = x[i] - (double) reference[i];
                diff += d * d;
            }
            double cosine = xx > 0 && rr > 0 ? dot / Math.sqrt(xx * rr) : Double.NaN;
            result.add(new TensorFidelity(tensor.name(), cosine, Math.sqrt(diff) / Math.sqrt(rr)));
        }
        return result;
    }

    private static void requireSameLength(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of different lengths: " + a.length + " and " + b.length);
        }
    }
}
