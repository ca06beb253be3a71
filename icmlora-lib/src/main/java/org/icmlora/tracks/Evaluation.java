package org.icmlora.tracks;

import com.google.gson.JsonElement;
import java.util.Map;

/**
 * What one model (the base model, or the base model with an adapter) scored on a task's test split, kept item by item
 * (test scenes, test documents) so that the metrics of any resample of the items can be recomputed exactly: a
 * bootstrap over items needs no second evaluation. The metrics are pure functions of the items drawn: the bootstrap
 * computes them for several resamples side by side.
 */
public interface Evaluation {

    /** Number of test items. */
    int items();

    /** The track's metrics over the items at {@code indices} (a resample: indices may repeat), by metric name. */
    Map<String, Double> metrics(int[] indices);

    /** One metric over the items at {@code indices} (what a bootstrap asks for, so only that one is computed). */
    default double metric(String name, int[] indices) {
        Double value = metrics(indices).get(name);
        if (value == null) {
            throw new IllegalArgumentException("no metric '" + name + "'; this evaluation has " + metrics(indices)
                    .keySet());
        }
        return value;
    }

    /** The metrics over every item once. */
    default Map<String, Double> metrics() {
        int[] all = new int[items()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return metrics(all);
    }

    /** This evaluation as JSON, which the track that made it reads back ({@link Track#readEvaluation}). */
    JsonElement toJson();
}
