package org.icmlora.train;

import java.util.List;
import java.util.Map;

/**
 * A stopping rule on a training's own loss: stop once the loss no longer falls. After at least {@code minEpochs}
 * epochs, training stops at the first epoch where the mean of the loss part {@code loss} over the last
 * {@code window} epochs is not lower than its mean over the {@code window} epochs before by more than the fraction
 * {@code tolerance}. Windowed means, not single epochs, so a noisy loss (a diffusion model's, whose timesteps are
 * drawn at random) does not stop it by chance. {@link TrainingLoop#stopWhen} applies it; the loop's epoch count is the
 * cap.
 *
 * @param loss      the loss part watched (a key of the epoch's loss map; a non-negative loss such as a mean squared
 *                  error)
 * @param minEpochs epochs trained whatever the loss does (a step budget)
 * @param window    epochs per compared window, at least 1
 * @param tolerance relative improvement below which the loss counts as flat, in [0, 1)
 */
public record Plateau(String loss, int minEpochs, int window, double tolerance) {

    public Plateau {
        if (minEpochs < 1 || window < 1 || !(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("plateau rule: minEpochs and window must be >= 1 and tolerance in"
                    + " [0, 1); got minEpochs=" + minEpochs + ", window=" + window + ", tolerance=" + tolerance);
        }
    }

    /** True when training with this loss {@code history} (epoch 1 first) should stop now. */
    public boolean reached(List<Map<String, Double>> history) {
        int n = history.size();
        if (n < Math.max(minEpochs, 2 * window)) {
            return false;
        }
        double recent = mean(history, n - window, n);
        double before = mean(history, n - 2 * window, n - window);
        return recent >= before * (1 - tolerance);
    }

    private double mean(List<Map<String, Double>> history, int from, int to) {
        double sum = 0;
        for (int e = from; e < to; e++) {
            Double value = history.get(e).get(loss);
            if (value == null) {
                throw new IllegalArgumentException("plateau rule watches loss part '" + loss + "' but epoch " + (e + 1)
                        + " reports only " + history.get(e).keySet());
            }
            sum += value;
        }
        return sum / (to - from);
    }
}
