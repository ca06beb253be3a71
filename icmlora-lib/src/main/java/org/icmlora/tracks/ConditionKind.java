package org.icmlora.tracks;

/**
 * Which vector describes a task to a generator (its condition), computed by {@link TaskVectors}.
 */
public enum ConditionKind {
    /**
     * The paper's Eq. 1: the mean last-layer hidden state of the task's fine-tuned model (base + the last adapter of
     * its series at the run's rank) over N validation samples; the "vision" vector of Table 6. It presupposes the
     * fine-tuned adapter a generator is meant to replace, so it exists only for tasks that were fine-tuned.
     */
    FINE_TUNED_STATES,
    /** Eq. 1 with the base model instead of the fine-tuned one: a condition that exists before any fine-tuning. */
    BASE_STATES,
    /** The sentence embedding of the task's description (MiniLM here, CLIP's text encoder in the paper): Table 6's text. */
    DESCRIPTION,
    /** {@link #FINE_TUNED_STATES} and {@link #DESCRIPTION} concatenated (Table 6's "both"). */
    FINE_TUNED_STATES_AND_DESCRIPTION
}
