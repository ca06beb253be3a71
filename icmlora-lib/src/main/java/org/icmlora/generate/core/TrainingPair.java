package org.icmlora.generate.core;

/**
 * One training example of a generator: a task's condition vector and one flat adapter checkpoint of that task.
 *
 * @param taskId     the task's name (e.g. "cat", "arxiv"); pairs of one task share it and its task vector
 * @param taskVector the condition (Eq. 1 hidden-state mean, a text embedding, or their concatenation)
 * @param adapter    the flat adapter vector in {@link org.icmlora.lora.LoraLayout} order
 */
public record TrainingPair(String taskId, float[] taskVector, float[] adapter) {

    public TrainingPair {
        if (taskId == null || taskId.isBlank()) {
            throw new IllegalArgumentException("a training pair needs a task id");
        }
    }
}
