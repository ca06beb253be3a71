package org.icmlora.generate;

import java.util.Map;

/**
 * What a fit did.
 *
 * @param epochsDone epochs completed in total (including those restored from a checkpoint)
 * @param complete   false when the run stopped early ({@link TrainingRun#stopAfterEpoch()})
 * @param lastLosses the loss parts of the last epoch, by name (e.g. "mse", "kl", "loss")
 * @param seconds    wall-clock time of this call
 * @param resumedFrom epoch the fit resumed from (0 for a fresh start)
 */
public record FitReport(int epochsDone, boolean complete, Map<String, Double> lastLosses, double seconds,
        int resumedFrom) {

    /** A fit without epochs (Model Soup): complete at once. */
    public static FitReport closedForm(double seconds) {
        return new FitReport(0, true, Map.of(), seconds, 0);
    }
}
