package org.icmlora.taskvec;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.icmlora.store.AtomicFiles;

/**
 * A task vector (paper Eq. 1): the mean over N samples of the model's last-layer hidden state at each sample's last
 * position, {@code v = (1/N) sum_i h_i}, plus the per-sample vectors {@code h_i} (for t-SNE pictures and
 * separability checks).
 *
 * @param task    task or domain name
 * @param mean    v, length d
 * @param samples h_i, N rows of length d
 */
public record TaskVector(String task, float[] mean, float[][] samples) {

    private static final Gson GSON = new Gson();

    public TaskVector {
        if (samples.length == 0) {
            throw new IllegalArgumentException("task vector of " + task + " needs at least one sample");
        }
        for (float[] s : samples) {
            if (s.length != mean.length) {
                throw new IllegalArgumentException("task " + task + ": sample vectors must have the mean's length "
                        + mean.length + ", got " + s.length);
            }
        }
    }

    /** The task vector of {@code samples}: their mean. */
    public static TaskVector of(String task, float[][] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("task vector of " + task + " needs at least one sample");
        }
        float[] mean = new float[samples[0].length];
        for (float[] s : samples) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += s[j] / samples.length;
            }
        }
        return new TaskVector(task, mean, samples);
    }

    /** Writes this vector as JSON (atomically). */
    public void save(Path file) {
        AtomicFiles.writeString(file, GSON.toJson(this));
    }

    /** Reads a vector written by {@link #save}. */
    public static TaskVector load(Path file) {
        try {
            TaskVector raw = GSON.fromJson(Files.readString(file), TaskVector.class);
            return new TaskVector(raw.task, raw.mean, raw.samples);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read task vector " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a task vector file: " + e.getMessage(), e);
        }
    }
}
