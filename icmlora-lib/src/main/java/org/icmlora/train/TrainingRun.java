package org.icmlora.train;

import java.nio.file.Path;

/**
 * How one training runs, apart from what is trained: the seed its randomness derives from, where it keeps its
 * checkpoints and how often, and whether to stop early.
 *
 * @param seed            every epoch's randomness derives from it ({@link TrainingLoop})
 * @param workDir         directory for resumable checkpoints, or null to train in memory only
 * @param checkpointEvery epochs between checkpoints (the last epoch is always checkpointed when workDir is set), or
 *                        {@value #TENTHS} for a checkpoint after every tenth of a phase's epochs
 * @param stopAfterEpoch  stop (after checkpointing) once this many epochs are done, or -1 to run to the end; lets a
 *                        caller split a long training over several sessions, and tests simulate an interruption
 */
public record TrainingRun(long seed, Path workDir, int checkpointEvery, int stopAfterEpoch) {

    /** {@link #checkpointEvery()} for about ten checkpoints per training phase, however long. */
    public static final int TENTHS = 0;

    public TrainingRun {
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpointEvery must be >= 1 (or TENTHS), got " + checkpointEvery);
        }
    }

    /** In memory, run to the end. */
    public static TrainingRun inMemory(long seed) {
        return new TrainingRun(seed, null, Integer.MAX_VALUE, -1);
    }

    /** Checkpoints in {@code workDir} every {@code every} epochs, resuming from the newest one found there. */
    public static TrainingRun checkpointed(long seed, Path workDir, int every) {
        return new TrainingRun(seed, workDir, every, -1);
    }

    /** Checkpoints in {@code workDir} after every tenth of a phase's epochs, resuming from the newest one there. */
    public static TrainingRun checkpointed(long seed, Path workDir) {
        return new TrainingRun(seed, workDir, TENTHS, -1);
    }

    /** Epochs between checkpoints in a phase of {@code epochs} epochs. */
    public int checkpointInterval(int epochs) {
        return checkpointEvery == TENTHS ? Math.max(1, epochs / 10) : checkpointEvery;
    }

    /** The same run, stopping after {@code epochs} epochs. */
    public TrainingRun stoppingAfter(int epochs) {
        return new TrainingRun(seed, workDir, checkpointEvery, epochs);
    }

    /** The same run with its checkpoints in {@code dir} and {@code stopAfter} as its stop (-1: none). */
    public TrainingRun with(Path dir, int stopAfter) {
        return new TrainingRun(seed, dir, checkpointEvery, stopAfter);
    }
}
