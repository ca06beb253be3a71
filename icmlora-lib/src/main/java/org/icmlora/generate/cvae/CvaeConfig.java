package org.icmlora.generate.cvae;

import org.icmlora.engine.Profile;
import org.icmlora.generate.AdapterNormalizer;

/**
 * Hyper-parameters of the ICM-LoRA conditional VAE. {@link #forProfile(Profile)} gives the paper's values for FULL
 * (12 conv layers, latent 256, 2,000 epochs, batch 2, AdamW lr 2e-4 without weight decay, KL weight 0.005) and
 * smaller networks and fewer epochs for QUICK and SMOKE; the code path is the same.
 *
 * @param depth          n: conv layers in the encoder (and transposed conv layers in the decoder)
 * @param latentDim      size of z
 * @param baseChannels   channels of the outermost layers (8 in the reference)
 * @param maxChannels    channel cap in the middle (256 in the reference)
 * @param klWeight       weight of the KL term (0.005)
 * @param epochs         passes over the training pairs
 * @param batchSize      pairs per step
 * @param learningRate   AdamW learning rate
 * @param weightDecay    AdamW decoupled weight decay
 * @param schedule       learning-rate schedule
 * @param normalization  how adapter vectors are standardised (see {@link AdapterNormalizer})
 * @param seed           seed of initialisation, shuffling and noise
 */
public record CvaeConfig(int depth, int latentDim, int baseChannels, int maxChannels, float klWeight, int epochs,
        int batchSize, float learningRate, float weightDecay, Schedule schedule,
        AdapterNormalizer.Scheme normalization, long seed) {

    /**
     * Learning-rate schedule. {@link #COSINE} is the reference script's: cosine annealing with a period of twice the
     * epoch count, stepped per epoch, so the rate falls to half of its start by the last epoch.
     */
    public enum Schedule { CONSTANT, COSINE }

    public CvaeConfig {
        require(depth >= 1, "depth", depth);
        require(latentDim >= 1, "latentDim", latentDim);
        require(baseChannels >= 1, "baseChannels", baseChannels);
        require(maxChannels >= baseChannels, "maxChannels (>= baseChannels)", maxChannels);
        require(epochs >= 1, "epochs", epochs);
        require(batchSize >= 1, "batchSize", batchSize);
        if (!(learningRate > 0) || klWeight < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("CVAE config: learningRate must be > 0 and klWeight, weightDecay >= 0;"
                    + " got lr=" + learningRate + " kl=" + klWeight + " wd=" + weightDecay);
        }
    }

    /** The configuration of a profile (FULL = the paper's). */
    public static CvaeConfig forProfile(Profile profile) {
        return switch (profile) {
            case SMOKE -> new CvaeConfig(4, 16, 4, 16, 0.005f, 10, 8, 3e-3f, 0f, Schedule.CONSTANT,
                    AdapterNormalizer.Scheme.PER_TENSOR, 2024);
            case QUICK -> new CvaeConfig(8, 64, 8, 64, 0.005f, 100, 4, 1e-3f, 0f, Schedule.CONSTANT,
                    AdapterNormalizer.Scheme.PER_TENSOR, 2024);
            case FULL -> new CvaeConfig(12, 256, 8, 256, 0.005f, 2000, 2, 2e-4f, 0f, Schedule.CONSTANT,
                    AdapterNormalizer.Scheme.PER_TENSOR, 2024);
        };
    }

    /** The same configuration with depth {@code n} (Table 5). */
    public CvaeConfig withDepth(int n) {
        return new CvaeConfig(n, latentDim, baseChannels, maxChannels, klWeight, epochs,
                batchSize, learningRate, weightDecay, schedule, normalization, seed);
    }

    /** The same configuration trained for {@code n} epochs. */
    public CvaeConfig withEpochs(int n) {
        return new CvaeConfig(depth, latentDim, baseChannels, maxChannels, klWeight, n, batchSize, learningRate,
                weightDecay, schedule, normalization, seed);
    }

    /** The same configuration with batch size {@code n}. */
    public CvaeConfig withBatchSize(int n) {
        return new CvaeConfig(depth, latentDim, baseChannels, maxChannels, klWeight, epochs, n, learningRate,
                weightDecay, schedule, normalization, seed);
    }

    /** The same configuration with another schedule. */
    public CvaeConfig withSchedule(Schedule s) {
        return new CvaeConfig(depth, latentDim, baseChannels, maxChannels, klWeight, epochs, batchSize, learningRate,
                weightDecay, s, normalization, seed);
    }

    /** The same configuration with another seed. */
    public CvaeConfig withSeed(long s) {
        return new CvaeConfig(depth, latentDim, baseChannels, maxChannels, klWeight, epochs, batchSize, learningRate,
                weightDecay, schedule, normalization, s);
    }

    /** Learning rate for epoch {@code epoch} (0-based). */
    public float learningRateAt(int epoch) {
        if (schedule == Schedule.CONSTANT) {
            return learningRate;
        }
        return (float) (learningRate * 0.5 * (1 + Math.cos(Math.PI * epoch / (2.0 * epochs))));
    }

    private static void require(boolean ok, String name, int value) {
        if (!ok) {
            throw new IllegalArgumentException("CVAE config: " + name + " must be >= 1, got " + value);
        }
    }
}
