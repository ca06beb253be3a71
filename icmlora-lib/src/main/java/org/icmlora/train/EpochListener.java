package org.icmlora.train;

import java.io.IOException;
import java.util.Map;

/**
 * Told by the {@link TrainingLoop} after every epoch it trains, before that epoch's checkpoint is written: a crash
 * in between retrains the epoch, and the listener sees it again with identical numbers (epochs are deterministic),
 * so whatever it writes is rewritten identically.
 */
@FunctionalInterface
public interface EpochListener {

    /** Handles the end of {@code epoch} (1-based), whose mean loss parts are {@code losses}. */
    void epochFinished(int epoch, Map<String, Double> losses) throws IOException;
}
