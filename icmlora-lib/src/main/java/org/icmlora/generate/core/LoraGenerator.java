package org.icmlora.generate.core;

import java.nio.file.Path;
import org.icmlora.train.TrainingRun;

/**
 * A method that produces a task's LoRA adapter from the task's condition vector: ICM-LoRA's conditional VAE,
 * COND P-DIFF or Model Soup (the three rows of the paper's tables).
 *
 * <p>Life cycle: construct with a configuration, {@link #fit} once on adapters of several tasks, then
 * {@link #generate} any number of times; {@link #save} writes the fitted generator as an artifact directory that
 * {@link org.icmlora.generate.Generators#load} reads back. Normalisation of adapter vectors is part of the generator: its
 * statistics are fitted with it, stored with it and used to de-normalise what it generates.
 */
public interface LoraGenerator extends AutoCloseable {

    /** Stable name of the method, written into the artifact (e.g. {@code "icm-lora-cvae"}). */
    String kind();

    /**
     * Fits on {@code data} with the run's seed; with a work directory in {@code run} it checkpoints there and resumes
     * from what it finds.
     */
    FitReport fit(TrainingSet data, TrainingRun run);

    /**
     * Draws {@code samples} adapter vectors for the task with condition {@code taskVector}; the same seed gives the
     * same vectors.
     */
    Generation generate(float[] taskVector, int samples, long seed);

    /** One adapter vector for {@code taskVector}. */
    default float[] generate(float[] taskVector, long seed) {
        return generate(taskVector, 1, seed).first();
    }

    /**
     * The numbers the fitted generator consists of: its networks' parameters for a trained generator (batch-norm
     * running statistics included, normalisation statistics not), the stored averaged adapters for a soup. The
     * budget tables show it beside the adapter length P.
     */
    long parameterCount();

    /**
     * Writes the fitted generator to {@code dir} (weights as safetensors, configuration, normalisation statistics and
     * checksums as JSON); the directory appears complete or not at all. Returns its size in bytes.
     */
    long save(Path dir);

    /** Frees native memory held by the generator. */
    @Override
    void close();
}
