package org.icmlora.generate.core;

/**
 * Hyper-parameters of the ICM-LoRA conditional VAE (keys {@code cvae.<component>} of the profile files). The full
 * profile has the paper's values (12 conv layers, latent 256, 2,000 epochs, batch 2, AdamW lr 2e-4 without weight
 * decay, KL weight 0.005); quick and smoke have smaller networks and fewer epochs; the code path is the same.
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
 */
public record CvaeConfig(int depth, int latentDim, int baseChannels, int maxChannels, float klWeight, int epochs,
        int batchSize, float learningRate, float weightDecay, Schedule schedule,
        AdapterNormalizer.Scheme normalization) implements GeneratorConfig {

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

    /** The same configuration with depth {@code n} (Table 5). */
    public CvaeConfig withDepth(int n) {
        return new CvaeConfig(n, latentDim, baseChannels, maxChannels, klWeight, epochs,
                batchSize, learningRate, weightDecay, schedule, normalization);
    }

    /** The same configuration trained for {@code n} epochs. */
    public CvaeConfig withEpochs(int n) {
        return new CvaeConfig(depth, latentDim, baseChannels, maxChannels, klWeight, n, batchSize, learningRate,
                weightDecay, schedule, normalization);
    }

    /** The same configuration with batch size {@code n}. */
    public CvaeConfig withBatchSize(int n) {
        return new CvaeConfig(depth, latentDim, baseChannels, maxChannels, klWeight, epochs, n, learningRate,
                weightDecay, schedule, normalization);
    }

    /** The same configuration with another schedule. */
    public CvaeConfig withSchedule(Schedule s) {
        return new CvaeConfig(depth, latentDim, baseChannels, maxChannels, klWeight, epochs, batchSize, learningRate,
                weightDecay, s, normalization);
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
