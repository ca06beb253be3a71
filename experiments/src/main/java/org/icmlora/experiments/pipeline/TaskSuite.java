package org.icmlora.experiments.pipeline;

import java.util.List;
import java.util.Map;
import org.icmlora.lora.CheckpointSeries;
import org.icmlora.lora.LoraLayout;
import org.icmlora.store.StageKey;

/**
 * The tasks of one track as generators and tables see them: the detection categories or the text domains. It hides
 * which model and data a track uses, so one generator pipeline serves Table 1 and Table 2 alike.
 */
public interface TaskSuite {

    /** "detection" or "language": names stages and result rows. */
    String track();

    /** Task ids in table order. */
    List<String> tasks();

    /** The name the paper's table uses for {@code task} (e.g. "dog" for the kit's first detection category). */
    String paperName(String task);

    /** The adapter layout at {@code rank}. */
    LoraLayout layout(int rank);

    /** The fine-tuned adapters of the last K epochs of {@code task} at {@code rank} (trained on first use). */
    CheckpointSeries adapters(String task, int rank);

    /** The cache key of that series: generators trained on it depend on it. */
    StageKey adaptersKey(String task, int rank);

    /** The task vector of {@code task} of the given kind. */
    float[] taskVector(String task, Condition condition);

    /** Per-sample task vectors of {@code task} (the points whose mean is the Eq. 1 vector), for Figure 2. */
    float[][] taskVectorSamples(String task);

    /**
     * Metrics of the base model with the adapter {@code vector} (null: no adapter) on {@code task}'s test split, by
     * the paper's column names (map50/map75 or ppl/bpc).
     */
    Map<String, Double> evaluate(String task, LoraLayout layout, float[] vector);

    /** The metric columns {@link #evaluate} returns, in table order. */
    List<String> metrics();
}
