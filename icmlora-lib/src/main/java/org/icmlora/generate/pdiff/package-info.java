/**
 * The COND P-DIFF baseline: a parameter autoencoder (1-D convolutions folding the length by 5 per stage, instance
 * norm, LeakyReLU, Tanh latent; noise augmentation 0.001 on the input and 0.1 on the latent; latent clamped to
 * [-1, 1]) and a conditional latent DDPM (linear betas 1e-4..2e-2, T = 1000, epsilon prediction, 1-D conv denoiser
 * with skip connections, condition concatenated along the length axis, samples clamped after every reverse step).
 * Adapters are normalised per coordinate by default (P-DIFF's scheme; across all tasks here).
 *
 * <p>Deviations from the reference code, each explained where it is made: stride-1 convolutions keep the length
 * exactly; the raw input is not instance-normalised; fewer autoencoder stages for short adapters (at least 8 latent
 * positions); sinusoidal time features with a learned projection per block, added after each block's instance norm
 * (added before the convolution, instance norm cancels it); latents scaled to unit RMS before diffusion; FULL trains
 * the autoencoder 2,000 epochs (the reference 10,000); QUICK and SMOKE shrink widths and epochs.
 */
package org.icmlora.generate.pdiff;
