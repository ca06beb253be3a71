package org.icmlora.experiments.heldout;

import java.util.Map;

/**
 * The nearest-task baseline of the held-out experiment: a new task gets the adapter of the training task whose
 * condition is most similar to its own (cosine similarity, the usual measure for sentence embeddings and hidden
 * states). It is the simplest use of a condition a generator has to beat.
 */
public final class NearestTask {

    /**
     * A training task and its similarity to the query.
     *
     * @param task       the training task
     * @param similarity cosine similarity of its condition to the query's, in [-1, 1]
     */
    public record Match(String task, double similarity) {}

    private NearestTask() {}

    /** The task among {@code conditions} whose condition has the highest cosine with {@code query}; ties: the first. */
    public static Match byCosine(float[] query, Map<String, float[]> conditions) {
        if (conditions.isEmpty()) {
            throw new IllegalArgumentException("no training task to choose from");
        }
        Match best = null;
        for (Map.Entry<String, float[]> entry : conditions.entrySet()) {
            double similarity = cosine(query, entry.getValue());
            if (best == null || similarity > best.similarity()) {
                best = new Match(entry.getKey(), similarity);
            }
        }
        return best;
    }

    /** Cosine similarity of two vectors of equal length; 0 if either is all zeros. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("conditions of different lengths: " + a.length + " and " + b.length);
        }
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return aa == 0 || bb == 0 ? 0 : dot / Math.sqrt(aa * bb);
    }
}
