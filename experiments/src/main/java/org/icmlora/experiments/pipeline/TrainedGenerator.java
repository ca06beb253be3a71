package org.icmlora.experiments.pipeline;

import java.nio.file.Path;
import java.util.Map;
import org.icmlora.generate.LoraGenerator;
import org.icmlora.lora.LoraLayout;
import org.icmlora.store.StageKey;

/**
 * A fitted generator read back from the artifact store, with what it was fitted for: the layout of the adapters it
 * writes, the task vector of every task, and the bytes it needs on disk (generator files plus task vectors, Table 3).
 */
public record TrainedGenerator(Method method, StageKey key, LoraGenerator generator, LoraLayout layout,
        Map<String, float[]> taskVectors, Path dir, long storageBytes) implements AutoCloseable {

    /** One adapter for {@code task}, drawn with {@code seed}. */
    public float[] generate(String task, long seed) {
        float[] condition = taskVectors.get(task);
        if (condition == null) {
            throw new IllegalArgumentException("generator " + key + " has no task vector for '" + task + "'; it knows "
                    + taskVectors.keySet());
        }
        return generator.generate(condition, seed);
    }

    @Override
    public void close() {
        generator.close();
    }
}
