package org.icmlora.generate.pdiff;

/**
 * The DDPM noise schedule (Ho et al. 2020) with linearly spaced betas: {@code alpha_t = 1 - beta_t},
 * {@code alphaBar_t = prod_{s <= t} alpha_s}. Forward process {@code x_t = sqrt(alphaBar_t) x_0 +
 * sqrt(1 - alphaBar_t) eps}; one ancestral sampling step
 * {@code x_{t-1} = (x_t - beta_t / sqrt(1 - alphaBar_t) * eps_hat) / sqrt(alpha_t) + sqrt(beta_t) z} (no noise at t = 0).
 */
public final class DdpmSchedule {

    private final double[] beta;
    private final double[] alphaBar;

    /** {@code timesteps} betas from {@code start} to {@code end} inclusive. */
    public DdpmSchedule(int timesteps, double start, double end) {
        beta = new double[timesteps];
        alphaBar = new double[timesteps];
        double product = 1;
        for (int t = 0; t < timesteps; t++) {
            beta[t] = start + (end - start) * t / (timesteps - 1);
            product *= 1 - beta[t];
            alphaBar[t] = product;
        }
    }

    /** T. */
    public int timesteps() {
        return beta.length;
    }

    /** beta_t. */
    public double beta(int t) {
        return beta[t];
    }

    /** alphaBar_t. */
    public double alphaBar(int t) {
        return alphaBar[t];
    }

    /** One reverse step applied to {@code x} in place, given the predicted noise and fresh noise {@code z}. */
    public void reverseStep(float[] x, float[] predictedNoise, float[] z, int t) {
        double alpha = 1 - beta[t];
        double noiseCoefficient = beta[t] / Math.sqrt(1 - alphaBar[t]);
        double sigma = t > 0 ? Math.sqrt(beta[t]) : 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((x[i] - noiseCoefficient * predictedNoise[i]) / Math.sqrt(alpha) + sigma * z[i]);
        }
    }
}
