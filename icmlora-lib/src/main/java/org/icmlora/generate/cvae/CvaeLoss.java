package org.icmlora.generate.cvae;

import ai.djl.ndarray.NDArray;
import org.icmlora.engine.Scalars;

/**
 * The CVAE objective (paper Eq. 8): mean squared reconstruction error plus {@code klWeight} times the KL divergence
 * of q(z | x, c) from N(0, I), summed over latent units and averaged over the batch.
 *
 * <p>Reconstruction and target must have the same shape. The reference code compares a [B, 1, L] target with a
 * [B, L] output, which broadcasts to [B, B, L] and mixes every sample with every other one when B > 1; here that is
 * an error.
 */
public final class CvaeLoss {

    private CvaeLoss() {}

    /** The loss parts of one batch. */
    public record Parts(NDArray total, NDArray mse, NDArray kl) {}

    /** Computes the loss of a batch; fails when {@code reconstruction} and {@code target} differ in shape. */
    public static Parts compute(NDArray reconstruction, NDArray target, NDArray mu, NDArray logVar, float klWeight) {
        if (!reconstruction.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("CVAE loss: reconstruction " + reconstruction.getShape()
                    + " and target " + target.getShape() + " must have the same shape (no broadcasting)");
        }
        if (!mu.getShape().equals(logVar.getShape()) || mu.getShape().get(0) != target.getShape().get(0)) {
            throw new IllegalArgumentException("CVAE loss: mu " + mu.getShape() + " and logvar " + logVar.getShape()
                    + " must both be [batch, latent] for a batch of " + target.getShape().get(0));
        }
        NDArray mse = reconstruction.sub(target).square().mean();
        NDArray kl = Scalars.times(logVar.add(1).sub(mu.square()).sub(logVar.exp()).sum(new int[] {1}), -0.5).mean();
        return new Parts(mse.add(Scalars.times(kl, klWeight)), mse, kl);
    }
}
