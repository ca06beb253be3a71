/**
 * ICM-LoRA's conditional VAE (paper Section 3; reference architecture in official-code-notes.md). Start with
 * {@link org.icmlora.generate.cvae.CvaeModel}: the whole network, its encode, reparameterize, decode and loss, in one
 * file.
 *
 * <p><b>Network.</b> Encoder of n Conv1d(k7, p3) + BatchNorm + LeakyReLU(0.01) layers, flatten, Linear to the latent,
 * task vector concatenated before the mean and log-variance heads and to z before the decoder; decoder of n
 * transposed convolutions (BatchNorm, ELU) and a final Conv1d(8 -> 1, k7, p3). Loss: MSE + 0.005 * KL, with
 * reconstruction and target required to have the same shape (the reference's [B,1,L] vs [B,L] broadcast is refused).
 * AdamW (lr 2e-4, no weight decay, at FULL); optional cosine schedule as the reference script's (period 2 x epochs).
 *
 * <p><b>Depth rule</b> ({@link org.icmlora.generate.cvae.CvaeArchitecture}): channels of layer i of n are
 * {@code min(8 * 2^min(i, n-1-i), 256)}, which is the reference list for n = 12. Only the first
 * {@code S = min(n, ceil(log2 P))} encoder layers have stride 2; deeper layers have stride 1 (and the decoder
 * mirrors this), so the adapter is padded to a multiple of 2^S (less than 2P) instead of 2^n; with P >= 2^n this is
 * the reference network. Generation crops the padding.
 *
 * <p><b>Profiles.</b> FULL: the paper (depth 12, latent 256, 2,000 epochs, batch 2). QUICK: depth 8, latent 64,
 * channels up to 64, 100 epochs, batch 4, lr 1e-3. SMOKE: depth 4, latent 16, channels 4..16, 10 epochs, batch 8,
 * lr 3e-3.
 */
package org.icmlora.generate.cvae;

import org.icmlora.generate.core.Generation;
