package org.icmlora.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.icmlora.store.AtomicFiles;

/**
 * What one {@link TrainingLoop} run did: the mean loss parts of every epoch (those restored from a checkpoint
 * included, so the curve is whole after a resume), where it resumed, whether it reached the last epoch, and its
 * cost.
 *
 * @param phase          the loop's name (for example "cvae", "pdiff-ae", "detection-base")
 * @param history        mean loss parts per epoch, epoch 1 first, each by name ("loss" or the model's own names)
 * @param resumedFrom    the epoch of the checkpoint the run started from (0 for a fresh start)
 * @param complete       false when the run stopped early on request ({@link TrainingRun#stopAfterEpoch()})
 * @param optimizerSteps optimiser steps taken in all, restored ones included
 * @param seconds        wall-clock time of this run (not of the epochs restored)
 */
public record TrainingReport(String phase, List<Map<String, Double>> history, int resumedFrom, boolean complete,
        int optimizerSteps, double seconds) {

    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    public TrainingReport {
        history = List.copyOf(history);
    }

    /**
     * This report as a stage output stores it: without this computation's wall-clock time and resume point (both 0),
     * which differ from one computation of the same output to the next, while the output itself must be the same
     * bytes (the cache compares contents; the manifest records the time, the log the resume).
     */
    public TrainingReport stored() {
        return new TrainingReport(phase, history, 0, complete, optimizerSteps, 0);
    }

    /** Epochs finished, restored ones included. */
    public int epochsDone() {
        return history.size();
    }

    /** The loss parts of the last epoch (empty before the first epoch). */
    public Map<String, Double> lastLosses() {
        return history.isEmpty() ? Map.of() : history.get(history.size() - 1);
    }

    /** Writes this report as a stage output keeps it ({@link #stored}) as JSON to {@code file}, atomically. */
    public void write(Path file) {
        AtomicFiles.writeString(file, GSON.toJson(stored()));
    }

    /** The report {@link #write} stored in {@code file}, or empty when there is none (a stage cached before it). */
    public static Optional<TrainingReport> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(GSON.fromJson(Files.readString(file), TrainingReport.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the training report " + file, e);
        }
    }
}
