package org.icmlora.generate;

import java.nio.file.Path;

/**
 * How a fit runs: where it keeps checkpoints, how often, and whether to stop early.
 *
 * @param workDir         directory for resumable checkpoints, or null to train in memory only
 * @param checkpointEvery epochs between checkpoints (the last epoch is always checkpointed when workDir is set)
 * @param stopAfterEpoch  stop (after checkpointing) once this many epochs are done, or -1 to run to the end; lets a
 *                        caller split a long fit over several sessions, and tests simulate an interruption
 */
public record TrainingRun(Path workDir, int checkpointEvery, int stopAfterEpoch) {

    public TrainingRun {
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be >= 1, got " + checkpointEvery);
        }
    }

    /** No checkpoints, run to the end. */
    public static TrainingRun inMemory() {
        return new TrainingRun(null, Integer.MAX_VALUE, -1);
    }

    /** Checkpoints in {@code workDir} every {@code checkpointEvery} epochs, resuming from the newest one found. */
    public static TrainingRun checkpointed(Path workDir, int checkpointEvery) {
        return new TrainingRun(workDir, checkpointEvery, -1);
    }

    /** The same run, stopping after {@code epochs} epochs. */
    public TrainingRun stoppingAfter(int epochs) {
        return new TrainingRun(workDir, checkpointEvery, epochs);
    }
}
