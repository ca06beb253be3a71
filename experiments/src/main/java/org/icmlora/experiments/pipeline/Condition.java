package org.icmlora.experiments.pipeline;

/**
 * Which task vector conditions a generator (paper Table 6). {@link #HIDDEN_STATE} is Eq. 1 of the paper: the mean
 * last-layer hidden state of the task's fine-tuned model over N samples (for the detector: its "vision" vector);
 * {@link #TEXT} is the sentence embedding of the task's description (MiniLM here, CLIP's text encoder in the paper);
 * {@link #BOTH} concatenates the two.
 */
public enum Condition {
    HIDDEN_STATE,
    TEXT,
    BOTH
}
