package org.icmlora.generate.core;

import org.icmlora.train.Plateau;

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
 * @param aeEpochs          autoencoder epochs at least (a step budget; see {@code maxEpochs})
 * @param denoiserChannels  channels of the denoiser's conv blocks (64, 128, 256, 512 in the reference)
 * @param timeEmbedding     size of the learned time embedding
 * @param timesteps         T (1000)
 * @param betaStart         first beta of the linear schedule (1e-4)
 * @param betaEnd           last beta (2e-2)
 * @param ddpmEpochs        denoiser epochs at least
 * @param maxEpochs         cap on each phase's epochs: after its minimum a phase trains on until its loss stops
 *                          falling ({@link org.icmlora.train.Plateau}) or this many epochs are done; at or below the
 *                          minimum, each phase trains exactly its minimum
 * @param plateauWindow     epochs per window of the plateau rule (mean loss of the last window vs the one before)
 * @param plateauTolerance  relative fall of the windowed loss below which a phase counts as converged
 * @param batchSize         pairs per step (both phases)
 * @param learningRate      AdamW learning rate (1e-3, both phases)
 * @param weightDecay       AdamW weight decay (1e-2)
 * @param normalization     adapter normalisation; P-DIFF standardises per coordinate
 */
public record PdiffConfig(int foldStages, int latentChannels, int decoderWidth, float inputNoise, float latentNoise,
        int aeEpochs, int[] denoiserChannels, int timeEmbedding, int timesteps, float betaStart, float betaEnd,
        int ddpmEpochs, int maxEpochs, int plateauWindow, float plateauTolerance, int batchSize, float learningRate,
        float weightDecay, AdapterNormalizer.Scheme normalization)
        implements GeneratorConfig {

    public PdiffConfig {
        if (foldStages < 0 || latentChannels < 1 || decoderWidth < 1 || aeEpochs < 1 || ddpmEpochs < 1
                || denoiserChannels.length < 1 || timeEmbedding < 1 || timesteps < 2 || batchSize < 1
                || maxEpochs < 1 || plateauWindow < 1) {
            throw new IllegalArgumentException("P-DIFF config: stages >= 0, channels, epochs, maxEpochs, plateauWindow,"
                    + " batch >= 1, timesteps >= 2 and at least one denoiser block are required");
        }
        if (!(plateauTolerance >= 0 && plateauTolerance < 1)) {
            throw new IllegalArgumentException("P-DIFF config: plateauTolerance must be in [0, 1), got "
                    + plateauTolerance);
        }
        if (!(betaStart > 0 && betaEnd > betaStart && betaEnd < 1)) {
            throw new IllegalArgumentException("P-DIFF config: need 0 < betaStart < betaEnd < 1, got " + betaStart
                    + ", " + betaEnd);
        }
    }

    /** The same configuration with other minimum epoch counts (the cap and the plateau rule unchanged). */
    public PdiffConfig withEpochs(int ae, int ddpm) {
        return new PdiffConfig(foldStages, latentChannels, decoderWidth, inputNoise, latentNoise, ae, denoiserChannels,
                timeEmbedding, timesteps, betaStart, betaEnd, ddpm, maxEpochs, plateauWindow, plateauTolerance,
                batchSize, learningRate, weightDecay, normalization);
    }

    /** The stopping rule of a phase trained at least {@code minEpochs} epochs, watching the loss part {@code loss}. */
    public Plateau plateau(String loss, int minEpochs) {
        return new Plateau(loss, minEpochs, plateauWindow, plateauTolerance);
    }

    /** The epoch cap of a phase trained at least {@code minEpochs} epochs. */
    public int epochCap(int minEpochs) {
        return Math.max(minEpochs, maxEpochs);
    }
}
