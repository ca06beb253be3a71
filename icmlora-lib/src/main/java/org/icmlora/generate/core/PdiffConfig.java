package org.icmlora.generate.core;

/**
 * Hyper-parameters of the COND P-DIFF baseline: a parameter autoencoder and a conditional latent DDPM.
 *
 * @param foldStages        autoencoder stages, each folding the length by 5 (4 in the reference; fewer are used when
 *                          the adapter is short, see {@link org.icmlora.generate.pdiff.ParameterAutoencoder})
 * @param latentChannels    autoencoder encoder channels in every stage (4 in the reference)
 * @param decoderWidth      autoencoder decoder channels of all but the last stage (256 in the reference; its last
 *                          stage has 8)
 * @param inputNoise        augmentation factor f of {@code x <- x (1 - f) + f * noise} on the autoencoder input (0.001)
 * @param latentNoise       the same on the latent (0.1)
 * @param aeEpochs          autoencoder epochs
 * @param denoiserChannels  channels of the denoiser's conv blocks (64, 128, 256, 512 in the reference)
 * @param timeEmbedding     size of the learned time embedding
 * @param timesteps         T (1000)
 * @param betaStart         first beta of the linear schedule (1e-4)
 * @param betaEnd           last beta (2e-2)
 * @param ddpmEpochs        denoiser epochs
 * @param batchSize         pairs per step (both phases)
 * @param learningRate      AdamW learning rate (1e-3, both phases)
 * @param weightDecay       AdamW weight decay (1e-2)
 * @param normalization     adapter normalisation; P-DIFF standardises per coordinate
 */
public record PdiffConfig(int foldStages, int latentChannels, int decoderWidth, float inputNoise, float latentNoise,
        int aeEpochs, int[] denoiserChannels, int timeEmbedding, int timesteps, float betaStart, float betaEnd,
        int ddpmEpochs, int batchSize, float learningRate, float weightDecay, AdapterNormalizer.Scheme normalization)
        implements GeneratorConfig {

    public PdiffConfig {
        if (foldStages < 0 || latentChannels < 1 || decoderWidth < 1 || aeEpochs < 1 || ddpmEpochs < 1
                || denoiserChannels.length < 1 || timeEmbedding < 1 || timesteps < 2 || batchSize < 1) {
            throw new IllegalArgumentException("P-DIFF config: stages >= 0, channels, epochs, batch >= 1, timesteps >= 2"
                    + " and at least one denoiser block are required");
        }
        if (!(betaStart > 0 && betaEnd > betaStart && betaEnd < 1)) {
            throw new IllegalArgumentException("P-DIFF config: need 0 < betaStart < betaEnd < 1, got " + betaStart
                    + ", " + betaEnd);
        }
    }

    /** The same configuration with other epoch counts. */
    public PdiffConfig withEpochs(int ae, int ddpm) {
        return new PdiffConfig(foldStages, latentChannels, decoderWidth, inputNoise, latentNoise, ae, denoiserChannels,
                timeEmbedding, timesteps, betaStart, betaEnd, ddpm, batchSize, learningRate, weightDecay, normalization);
    }
}
