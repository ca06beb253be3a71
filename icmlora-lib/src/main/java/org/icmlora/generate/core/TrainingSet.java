package org.icmlora.generate.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.icmlora.lora.LoraLayout;

/**
 * What a generator is fitted on: adapter checkpoints of several tasks, each with its task's condition vector, and the
 * layout that gives the adapter vectors their meaning. Construction checks that every adapter fits the layout, that
 * all task vectors have one length and hold only finite numbers, and that a task id always comes with the same task
 * vector, so a mixed-up input fails here and not as a silent shape broadcast during training.
 */
public final class TrainingSet {

    private final LoraLayout layout;
    private final List<TrainingPair> pairs;
    private final Map<String, float[]> taskVectors = new LinkedHashMap<>();

    /** Checks and wraps {@code pairs}; see the class comment for what is checked. */
    public TrainingSet(LoraLayout layout, List<TrainingPair> pairs) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("a training set needs at least one (task vector, adapter) pair");
        }
        int conditionLength = pairs.get(0).taskVector().length;
        if (conditionLength == 0) {
            throw new IllegalArgumentException("task vectors are empty (task " + pairs.get(0).taskId() + ")");
        }
        for (int i = 0; i < pairs.size(); i++) {
            TrainingPair pair = pairs.get(i);
            String source = "training pair " + i + " (task " + pair.taskId() + ")";
            layout.validate(pair.adapter(), source);
            float[] condition = pair.taskVector();
            if (condition.length != conditionLength) {
                throw new IllegalArgumentException(source + ": task vector has " + condition.length
                        + " values, the first pair's has " + conditionLength);
            }
            for (float value : condition) {
                if (!Float.isFinite(value)) {
                    throw new IllegalArgumentException(source + ": task vector holds " + value);
                }
            }
            float[] known = taskVectors.putIfAbsent(pair.taskId(), condition);
            if (known != null && !java.util.Arrays.equals(known, condition)) {
                throw new IllegalArgumentException(source + ": task vector differs from the one given earlier for"
                        + " the same task; one task must have one task vector");
            }
        }
        this.layout = layout;
        this.pairs = List.copyOf(pairs);
    }

    /** The adapter layout. */
    public LoraLayout layout() {
        return layout;
    }

    /** All pairs, in the given order. */
    public List<TrainingPair> pairs() {
        return pairs;
    }

    /** Number of pairs (checkpoints over all tasks). */
    public int size() {
        return pairs.size();
    }

    /** P: the adapter vector length. */
    public int adapterLength() {
        return layout.size();
    }

    /** The task vectors' length. */
    public int conditionLength() {
        return pairs.get(0).taskVector().length;
    }

    /** Task ids in first-seen order. */
    public List<String> taskIds() {
        return List.copyOf(taskVectors.keySet());
    }

    /** The task vector of {@code taskId}. */
    public float[] taskVector(String taskId) {
        float[] vector = taskVectors.get(taskId);
        if (vector == null) {
            throw new IllegalArgumentException("task " + taskId + " is not in this training set; it has " + taskIds());
        }
        return vector.clone();
    }

    /** The adapters of {@code taskId}, in the given order. */
    public List<float[]> adaptersOf(String taskId) {
        List<float[]> result = new ArrayList<>();
        for (TrainingPair pair : pairs) {
            if (pair.taskId().equals(taskId)) {
                result.add(pair.adapter());
            }
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException("task " + taskId + " is not in this training set; it has " + taskIds());
        }
        return result;
    }

    /** Element-wise mean of the adapters of {@code taskId}. */
    public float[] meanAdapter(String taskId) {
        List<float[]> adapters = adaptersOf(taskId);
        double[] sum = new double[adapterLength()];
        for (float[] adapter : adapters) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += adapter[i];
            }
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = (float) (sum[i] / adapters.size());
        }
        return mean;
    }
}
