package org.icmlora.experiments;

import java.util.List;
import org.icmlora.experiments.pipeline.GeneratorStage;

/**
 * One paper table or figure, replayed: it runs (or reuses from the artifact store) the pipeline stages it needs at
 * the context's profile and seed, and returns its measured numbers beside the paper's.
 */
public interface Experiment {

    /** Short id used on the command line and in result folders, e.g. {@code table1}. */
    String id();

    /** Title as the paper names the item, e.g. "Table 1: detection with LoRA rank 2". */
    String title();

    /**
     * The generators this experiment fits, known before it computes anything (none by default). A run of several
     * experiments fits all of theirs side by side first ({@link GeneratorStage#fitAhead}); each experiment then finds
     * them cached.
     */
    default List<GeneratorStage.Request> fits(RunContext context) {
        return List.of();
    }

    /** Runs the experiment; its result is also written under {@link RunContext#resultsDir}. */
    ExperimentResult run(RunContext context);
}
