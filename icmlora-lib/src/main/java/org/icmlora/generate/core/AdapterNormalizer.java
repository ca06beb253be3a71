package org.icmlora.generate.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.icmlora.lora.LoraLayout;

/**
 * Standardises adapter vectors before a generator learns them and undoes it on what the generator produces.
 *
 * <p>Two schemes:
 * <ul>
 *   <li>{@link Scheme#PER_TENSOR} (default): one mean and one standard deviation per adapter tensor (each layer's A
 *       and B), pooled over every training checkpoint of every task. This is the reference code's granularity, but
 *       with statistics shared by all checkpoints: the reference normalises each checkpoint with its own statistics
 *       and de-normalises a generated sample with those of one arbitrary checkpoint, which injects that checkpoint's
 *       scale into every task. Shared statistics make normalisation an invertible affine map fixed at fit time, and
 *       they keep the relative sizes of coordinates inside a tensor (a coordinate that barely moves stays small).</li>
 *   <li>{@link Scheme#PER_COORDINATE}: a mean and deviation per coordinate across all checkpoints (COND P-DIFF's
 *       scheme, there per task; here over all tasks, since a task's own statistics are not known when generating
 *       for it). Every coordinate gets unit spread, near-constant ones included.</li>
 * </ul>
 * A deviation below {@value #MIN_STD} is replaced by 1 (a constant tensor or coordinate is only shifted).
 */
public final class AdapterNormalizer {

    /** Granularity of the statistics. */
    public enum Scheme { PER_TENSOR, PER_COORDINATE }

    static final double MIN_STD = 1e-8;

    private final Scheme scheme;
    private final float[] mean;
    private final float[] std;
    private final int[] segmentStarts;

    private AdapterNormalizer(Scheme scheme, float[] mean, float[] std, int[] segmentStarts) {
        this.scheme = scheme;
        this.mean = mean;
        this.std = std;
        this.segmentStarts = segmentStarts;
    }

    /** Fits the statistics of {@code scheme} on every adapter of {@code data}. */
    public static AdapterNormalizer fit(Scheme scheme, TrainingSet data) {
        int[] starts = scheme == Scheme.PER_TENSOR ? tensorStarts(data.layout())
                : identityStarts(data.adapterLength());
        int segments = starts.length - 1;
        double[] sum = new double[segments];
        double[] sumSq = new double[segments];
        for (TrainingPair pair : data.pairs()) {
            float[] v = pair.adapter();
            for (int s = 0; s < segments; s++) {
                for (int i = starts[s]; i < starts[s + 1]; i++) {
                    sum[s] += v[i];
                    sumSq[s] += (double) v[i] * v[i];
                }
            }
        }
        float[] mean = new float[segments];
        float[] std = new float[segments];
        for (int s = 0; s < segments; s++) {
            double count = (double) data.size() * (starts[s + 1] - starts[s]);
            double m = sum[s] / count;
            double variance = Math.max(0, sumSq[s] / count - m * m);
            mean[s] = (float) m;
            std[s] = Math.sqrt(variance) < MIN_STD ? 1f : (float) Math.sqrt(variance);
        }
        return new AdapterNormalizer(scheme, mean, std, starts);
    }

    /** The scheme in use. */
    public Scheme scheme() {
        return scheme;
    }

    /** {@code (v - mean) / std} with the fitted statistics. */
    public float[] normalize(float[] adapter) {
        requireLength(adapter);
        float[] out = new float[adapter.length];
        for (int s = 0; s + 1 < segmentStarts.length; s++) {
            for (int i = segmentStarts[s]; i < segmentStarts[s + 1]; i++) {
                out[i] = (adapter[i] - mean[s]) / std[s];
            }
        }
        return out;
    }

    /** {@code z * std + mean}: the inverse of {@link #normalize}. */
    public float[] denormalize(float[] normalized) {
        requireLength(normalized);
        float[] out = new float[normalized.length];
        for (int s = 0; s + 1 < segmentStarts.length; s++) {
            for (int i = segmentStarts[s]; i < segmentStarts[s + 1]; i++) {
                out[i] = normalized[i] * std[s] + mean[s];
            }
        }
        return out;
    }

    /**
     * The statistics for an artifact: per-tensor statistics go into the JSON (two numbers per tensor), per-coordinate
     * ones into {@link #tensors} (two vectors of length P).
     */
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("scheme", scheme.name());
        if (scheme == Scheme.PER_TENSOR) {
            json.add("mean", toJsonArray(mean));
            json.add("std", toJsonArray(std));
        }
        return json;
    }

    /** Per-coordinate statistics as named arrays ({@code normalizer.mean}, {@code normalizer.std}); else empty. */
    public NDList tensors(NDManager manager) {
        NDList list = new NDList();
        if (scheme == Scheme.PER_COORDINATE) {
            NDArray m = manager.create(mean);
            m.setName("normalizer.mean");
            NDArray s = manager.create(std);
            s.setName("normalizer.std");
            list.add(m);
            list.add(s);
        }
        return list;
    }

    /** Restores a normaliser written by {@link #toJson} and {@link #tensors}. */
    public static AdapterNormalizer restore(JsonObject json, NDList tensors, LoraLayout layout) {
        Scheme scheme = Scheme.valueOf(json.get("scheme").getAsString());
        if (scheme == Scheme.PER_TENSOR) {
            int[] starts = tensorStarts(layout);
            float[] mean = fromJsonArray(json.getAsJsonArray("mean"));
            float[] std = fromJsonArray(json.getAsJsonArray("std"));
            if (mean.length != starts.length - 1 || std.length != starts.length - 1) {
                throw new IllegalArgumentException("normaliser statistics cover " + mean.length
                        + " tensors but the layout has " + (starts.length - 1));
            }
            return new AdapterNormalizer(scheme, mean, std, starts);
        }
        float[] mean = tensors.get("normalizer.mean").toFloatArray();
        float[] std = tensors.get("normalizer.std").toFloatArray();
        if (mean.length != layout.size() || std.length != layout.size()) {
            throw new IllegalArgumentException("normaliser statistics have " + mean.length
                    + " coordinates but the layout has " + layout.size());
        }
        return new AdapterNormalizer(scheme, mean, std, identityStarts(layout.size()));
    }

    /** Start offsets of every A and B tensor of {@code layout}, plus P at the end. */
    static int[] tensorStarts(LoraLayout layout) {
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < layout.layers().size(); i++) {
            starts.add(layout.offsetOfA(i));
            starts.add(layout.offsetOfB(i));
        }
        starts.add(layout.size());
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] identityStarts(int length) {
        int[] starts = new int[length + 1];
        for (int i = 0; i <= length; i++) {
            starts[i] = i;
        }
        return starts;
    }

    private void requireLength(float[] vector) {
        int length = segmentStarts[segmentStarts.length - 1];
        if (vector.length != length) {
            throw new IllegalArgumentException("normaliser was fitted on vectors of length " + length + ", got "
                    + vector.length);
        }
    }

    static JsonArray toJsonArray(float[] values) {
        JsonArray array = new JsonArray(values.length);
        for (float v : values) {
            array.add(v);
        }
        return array;
    }

    static float[] fromJsonArray(JsonArray array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsFloat();
        }
        return values;
    }
}
