package org.icmlora.tracks;

import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.icmlora.lora.Adapter;
import org.icmlora.lora.AdapterSeries;
import org.icmlora.lora.LoraConfig;
import org.icmlora.lora.LoraLayout;
import org.icmlora.store.StageKey;

/**
 * One model on one kind of data, as the generators and the tables see it: the detection track (a prompt-conditioned
 * detector on garment scenes) and the language track (a small GPT on text domains) implement it the same way. A new
 * model or data set is one more package implementing this interface.
 *
 * <p>Its stages are cached in the run's artifact store, seeded from the run's seed, and resume after a crash:
 * <ol>
 *   <li>the base model, pretrained once ({@link #baseKey});</li>
 *   <li>per task and rank, LoRA fine-tuning of the base model, the adapters of the last K of N epochs kept
 *       ({@link #adapters});</li>
 *   <li>the task vectors of every {@link ConditionKind} ({@link #taskVectors}), from the hidden states the track
 *       computes ({@link #hiddenStates});</li>
 *   <li>evaluation of the base model with or without an adapter on a task's test split ({@link #evaluate}).</li>
 * </ol>
 */
public interface Track {

    /** "detection" or "language": names the track's stages, its results and its configuration section. */
    String id();

    /** The tasks of the paper's tables, in table order. */
    List<Task> tasks();

    /**
     * Tasks beyond the paper's tables, in the same adapter coordinate frame (the same base model, the same LoRA
     * initialisation): the pool from which the held-out experiment holds tasks out. No table iterates over them, so
     * adding one changes no table. Empty unless the track's configuration lists some.
     */
    default List<Task> extraTasks() {
        return List.of();
    }

    /** {@link #tasks()}, then {@link #extraTasks()}. */
    default List<Task> allTasks() {
        List<Task> all = new ArrayList<>(tasks());
        all.addAll(extraTasks());
        return List.copyOf(all);
    }

    /** The task {@code id} (a table task or an extra one), or an error that lists the track's tasks. */
    default Task task(String id) {
        return allTasks().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no " + id() + " task '" + id + "'; the tasks are "
                        + allTasks().stream().map(Task::id).toList()));
    }

    /** The metrics {@link #evaluate} reports, in table order. */
    List<Metric> metrics();

    /** The adapter configuration at rank {@code rank}: the run's LoRA settings on this track's target layers. */
    LoraConfig adapterConfig(int rank);

    /** The adapter layout at rank {@code rank} (its size is the parameter count P), without training anything. */
    LoraLayout layout(int rank);

    /** The cache key of the base model: every later stage depends on it. */
    StageKey baseKey();

    /** The adapters of the last K epochs of fine-tuning on {@code task} at {@code rank}, trained on first use. */
    AdapterSeries adapters(String task, int rank);

    /** The cache key of that series: what is computed from it depends on it. */
    StageKey adaptersKey(String task, int rank);

    /**
     * Eq. 1's per-sample vectors: the last-layer hidden state of the base model (with {@code adapter} attached, if
     * given) on each of the N validation samples of {@code task}, at the position that summarises the sample.
     */
    float[][] hiddenStates(String task, Optional<Adapter> adapter);

    /** The task vectors of this track, cached. */
    TaskVectors taskVectors();

    /** The base model, with {@code adapter} attached if given, scored on {@code task}'s test split item by item. */
    Evaluation evaluate(String task, Optional<Adapter> adapter);

    /** Reads an evaluation of this track back from {@link Evaluation#toJson()}. */
    Evaluation readEvaluation(JsonElement json);
}
