package org.icmlora.generate.core;

import com.google.gson.JsonObject;
import java.util.List;

/**
 * Centres task vectors on the training tasks' mean and divides by one global scale (the root-mean-square of the
 * centred training task vectors), so that a condition enters the networks with unit size whatever its source
 * (hidden states of a language model can have norms in the hundreds). One scalar, not one per coordinate, keeps the
 * geometry of the task vectors: directions that separate tasks are not shrunk relative to noisy ones. Fitted and
 * stored with the generator.
 */
public final class ConditionScaler {

    private final float[] mean;
    private final float scale;

    private ConditionScaler(float[] mean, float scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /** Fits on the distinct task vectors of {@code data} (each task counted once). */
    public static ConditionScaler fit(TrainingSet data) {
        List<String> tasks = data.taskIds();
        int length = data.conditionLength();
        double[] sum = new double[length];
        for (String task : tasks) {
            float[] v = data.taskVector(task);
            for (int i = 0; i < length; i++) {
                sum[i] += v[i];
            }
        }
        float[] mean = new float[length];
        for (int i = 0; i < length; i++) {
            mean[i] = (float) (sum[i] / tasks.size());
        }
        double squares = 0;
        for (String task : tasks) {
            float[] v = data.taskVector(task);
            for (int i = 0; i < length; i++) {
                squares += (v[i] - mean[i]) * (double) (v[i] - mean[i]);
            }
        }
        double rms = Math.sqrt(squares / ((double) tasks.size() * length));
        return new ConditionScaler(mean, rms < AdapterNormalizer.MIN_STD ? 1f : (float) rms);
    }

    /** Length of the task vectors this scaler accepts. */
    public int length() {
        return mean.length;
    }

    /** {@code (c - mean) / scale}; fails on a task vector of another length. */
    public float[] apply(float[] taskVector) {
        if (taskVector.length != mean.length) {
            throw new IllegalArgumentException("the generator was trained on task vectors of length " + mean.length
                    + ", got one of length " + taskVector.length + " (another task-vector source?)");
        }
        float[] out = new float[mean.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (taskVector[i] - mean[i]) / scale;
        }
        return out;
    }

    /** The statistics as JSON. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.add("mean", AdapterNormalizer.toJsonArray(mean));
        json.addProperty("scale", scale);
        return json;
    }

    /** Reads {@link #toJson()}. */
    public static ConditionScaler fromJson(JsonObject json) {
        return new ConditionScaler(AdapterNormalizer.fromJsonArray(json.getAsJsonArray("mean")),
                json.get("scale").getAsFloat());
    }
}
