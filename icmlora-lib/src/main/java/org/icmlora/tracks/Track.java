package org.icmlora.tracks;

import com.google.gson.JsonElement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.icmlora.lora.Adapter;
import org.icmlora.lora.AdapterSeries;
import org.icmlora.lora.LoraConfig;
import org.icmlora.lora.LoraLayout;
import org.icmlora.store.StageKey;
import org.icmlora.train.TrainingReport;

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

    /** The directory of the pretrained base model, trained first if it is not cached yet. */
    Path baseModel();

    /** The adapters of the last K epochs of fine-tuning on {@code task} at {@code rank}, trained on first use. */
    AdapterSeries adapters(String task, int rank);

    /** How many adapters every series of {@link #adapters} holds (K, the last K epochs kept), known before training. */
    int keptEpochs();

    /**
     * The loss curve of the base model's pretraining, trained on first use; empty only for a base model cached by a
     * kit that did not keep it.
     */
    Optional<TrainingReport> baseTraining();

    /**
     * The loss curve of the fine-tuning behind {@link #adapters}, trained on first use; empty only for a series cached
     * by a kit that did not keep it ({@code icmlora clean <track stage>} retrains it).
     */
    Optional<TrainingReport> adapterTraining(String task, int rank);

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

    /**
     * {@link #evaluate} of every adapter in {@code adapters} on {@code task}, in their order, with the same results:
     * the adapters of one configuration and layout are scored together ({@link #evaluateTogether}), the base model
     * (an empty entry) on its own.
     */
    default List<Evaluation> evaluateAll(String task, List<Optional<Adapter>> adapters) {
        Evaluation[] results = new Evaluation[adapters.size()];
        Map<List<Object>, List<Integer>> together = new LinkedHashMap<>();
        for (int i = 0; i < adapters.size(); i++) {
            if (adapters.get(i).isEmpty()) {
                results[i] = evaluate(task, Optional.empty());
            } else {
                Adapter adapter = adapters.get(i).get();
                together.computeIfAbsent(List.of(adapter.config(), adapter.layout()), k -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> indices : together.values()) {
            List<Evaluation> scores = evaluateTogether(task, indices.stream().map(i -> adapters.get(i).get()).toList());
            for (int j = 0; j < indices.size(); j++) {
                results[indices.get(j)] = scores.get(j);
            }
        }
        return List.of(results);
    }

    /**
     * {@link #evaluate} of each of {@code adapters} (one configuration and layout) on {@code task}, with the same
     * results. A track scores them in one batched pass where each group of rows has its own adapter
     * ({@link Adapter#applyStackTo}), which for small models costs far less than a pass per adapter; this default
     * scores them one by one.
     */
    default List<Evaluation> evaluateTogether(String task, List<Adapter> adapters) {
        return adapters.stream().map(adapter -> evaluate(task, Optional.of(adapter))).toList();
    }

    /** Reads an evaluation of this track back from {@link Evaluation#toJson()}. */
    Evaluation readEvaluation(JsonElement json);
}
