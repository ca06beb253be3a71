package org.icmlora.experiments;

/**
 * One paper table or figure, replayed: it runs (or reuses from the artifact store) the pipeline stages it needs at
 * the context's profile and seed, and returns its measured numbers beside the paper's.
 */
public interface Experiment {

    /** Short id used on the command line and in result folders, e.g. {@code table1}. */
    String id();

    /** Title as the paper names the item, e.g. "Table 1: detection with LoRA rank 2". */
    String title();

    /** Runs the experiment; its result is also written under {@link RunContext#resultsDir}. */
    ExperimentResult run(RunContext context);
}
