package org.icmlora.taskvec;

import java.util.Map;

/**
 * How well per-sample vectors separate tasks: each task's even-indexed samples give its centroid, and every
 * odd-indexed (held-out) sample is assigned to the task with the nearest centroid (Euclidean). The accuracy is the
 * fraction of held-out samples assigned to their own task; chance is 1 / number of tasks.
 */
public final class NearestCentroid {

    private NearestCentroid() {}

    /** Held-out nearest-centroid accuracy over the per-sample vectors of every task (each needs >= 2 samples). */
    public static double heldOutAccuracy(Map<String, float[][]> samplesByTask) {
        Map<String, float[]> centroids = new java.util.LinkedHashMap<>();
        samplesByTask.forEach((task, samples) -> {
            if (samples.length < 2) {
                throw new IllegalArgumentException("task " + task + " needs at least 2 samples, got " + samples.length);
            }
            float[] c = new float[samples[0].length];
            int n = 0;
            for (int i = 0; i < samples.length; i += 2, n++) {
                for (int j = 0; j < c.length; j++) {
                    c[j] += samples[i][j];
                }
            }
            for (int j = 0; j < c.length; j++) {
                c[j] /= n;
            }
            centroids.put(task, c);
        });
        int correct = 0;
        int total = 0;
        for (var entry : samplesByTask.entrySet()) {
            float[][] samples = entry.getValue();
            for (int i = 1; i < samples.length; i += 2, total++) {
                if (nearest(centroids, samples[i]).equals(entry.getKey())) {
                    correct++;
                }
            }
        }
        return (double) correct / total;
    }

    private static String nearest(Map<String, float[]> centroids, float[] x) {
        String best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (var entry : centroids.entrySet()) {
            double d = 0;
            for (int j = 0; j < x.length; j++) {
                double diff = x[j] - entry.getValue()[j];
                d += diff * diff;
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = entry.getKey();
            }
        }
        return best;
    }
}
