package org.icmlora.generate.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.icmlora.lora.LoraLayout;

/**
 * A synthetic adapter series for generator tests: each task has a random task vector c, and each of its checkpoints
 * is {@code offset + M c + noise}, a known linear function of the task vector plus small Gaussian noise, in a two-layer
 * rank-2 layout.
 */
public final class SyntheticAdapters {

    /** Rank of the synthetic layout. */
    public static final int RANK = 2;

    private SyntheticAdapters() {}

    /** Two layers (12 -> 10, 12 -> 10) at rank 2: P = 88. */
    public static LoraLayout layout() {
        return new LoraLayout(RANK, 1.5f, List.of(new LoraLayout.Layer("blocks.0.q", 12, 10),
                new LoraLayout.Layer("blocks.1.q", 12, 10)));
    }

    /** {@code tasks} tasks with {@code checkpoints} checkpoints each, task vectors of length 6, noise sigma 0.05. */
    public static TrainingSet series(int tasks, int checkpoints, long seed) {
        LoraLayout layout = layout();
        Random random = new Random(seed);
        int p = layout.size();
        int d = 6;
        float[][] m = new float[p][d];
        float[] offset = new float[p];
        for (int i = 0; i < p; i++) {
            offset[i] = (float) (0.2 * random.nextGaussian());
            for (int j = 0; j < d; j++) {
                m[i][j] = (float) (0.3 * random.nextGaussian());
            }
        }
        List<TrainingPair> pairs = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            float[] c = new float[d];
            for (int j = 0; j < d; j++) {
                c[j] = (float) random.nextGaussian();
            }
            for (int k = 0; k < checkpoints; k++) {
                float[] v = new float[p];
                for (int i = 0; i < p; i++) {
                    double value = offset[i] + 0.05 * random.nextGaussian();
                    for (int j = 0; j < d; j++) {
                        value += m[i][j] * c[j];
                    }
                    v[i] = (float) value;
                }
                pairs.add(new TrainingPair("task" + t, c, v));
            }
        }
        return new TrainingSet(layout, pairs);
    }

    /** Euclidean distance. */
    public static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }

    /**
     * For each task: distance of {@code generated[task]} to the task's own mean adapter, and the smallest distance to
     * another task's mean; returns {ownMax, otherMin} over all tasks.
     */
    public static double[] ownVersusOther(TrainingSet data, java.util.function.Function<String, float[]> generated) {
        double ownMax = 0;
        double otherMin = Double.MAX_VALUE;
        for (String task : data.taskIds()) {
            float[] g = generated.apply(task);
            for (String other : data.taskIds()) {
                double d = distance(g, data.meanAdapter(other));
                if (other.equals(task)) {
                    ownMax = Math.max(ownMax, d);
                } else {
                    otherMin = Math.min(otherMin, d);
                }
            }
        }
        return new double[] {ownMax, otherMin};
    }
}
