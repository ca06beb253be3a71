package org.icmlora.experiments.pipeline;

import java.nio.file.Path;
import java.util.Map;
import org.icmlora.generate.core.FitReport;
import org.icmlora.generate.core.Generation;
import org.icmlora.generate.core.LoraGenerator;
import org.icmlora.lora.Adapter;
import org.icmlora.lora.LoraConfig;
import org.icmlora.lora.LoraLayout;
import org.icmlora.store.DiskUsage;
import org.icmlora.store.StageKey;

/**
 * A fitted generator read back from the artifact store, with what it was fitted for: the configuration and layout of
 * the adapters it writes, the condition of every training task, its fit report (loss curves) and the bytes it needs
 * on disk (generator files plus conditions, Table 3).
 *
 * @param key          the stage key of the fit
 * @param generator    the generator
 * @param adapter      the configuration of the adapters it writes
 * @param layout       their layout
 * @param conditions   the condition vector of every training task
 * @param fit          what fitting did
 * @param dir          the stage's output directory
 * @param storageBytes bytes of the generator's files and its conditions
 */
public record TrainedGenerator(StageKey key, LoraGenerator generator, LoraConfig adapter, LoraLayout layout,
        Map<String, float[]> conditions, FitReport fit, Path dir, long storageBytes) implements AutoCloseable {

    /** Bytes of the stored conditions alone (part of {@link #storageBytes}): what each further task adds. */
    public long conditionBytes() {
        return DiskUsage.bytes(dir.resolve(GeneratorStage.CONDITIONS_FILE));
    }

    /** One adapter for the training task {@code task}, from its stored condition, drawn with {@code seed}. */
    public Adapter generate(String task, long seed) {
        return generate(condition(task), seed);
    }

    /**
     * One adapter for any task, given its condition vector, drawn with {@code seed}. Units on several workers may share
     * one generator; they take turns.
     */
    public synchronized Adapter generate(float[] condition, long seed) {
        return new Adapter(adapter, layout, generator.generate(condition, seed));
    }

    /**
     * {@code count} adapter vectors for the training task {@code task} in one call, drawn with {@code seed}, and how
     * long the call took; the first equals {@link #generate(String, long)}'s adapter. Callers take turns as above.
     */
    public synchronized Generation generate(String task, int count, long seed) {
        return generator.generate(condition(task), count, seed);
    }

    /** The stored condition of the training task {@code task}. */
    private float[] condition(String task) {
        float[] condition = conditions.get(task);
        if (condition == null) {
            throw new IllegalArgumentException("generator " + key + " was not trained on task '" + task + "'; it knows "
                    + conditions.keySet() + " (give a condition vector for another task)");
        }
        return condition;
    }

    @Override
    public void close() {
        generator.close();
    }
}
