package org.icmlora.generate.cvae;

import static org.icmlora.engine.Scalars.times;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.icmlora.generate.nn.TransposedConv1d;

/**
 * ICM-LoRA's conditional VAE (paper Section 3, Eqs. 2-9; the reference code's network, see
 * official-code-notes.md), the whole model in one file: its layers, {@link #encode}, {@link #reparameterize},
 * {@link #decode} and {@link #loss}.
 *
 * <p>A batch is {@code x [B, L]}, B flattened and standardised LoRA adapters zero-padded to length
 * {@code L = plan.paddedLength()}, and {@code c [B, |c|]}, their tasks' vectors.
 *
 * <pre>
 * encode          x [B, L] -> [B, 1, L]
 *                 n x (Conv1d k7 p3 -> BatchNorm -> LeakyReLU 0.01)   -> [B, C, L'], C = channels[n - 1]
 *                 flatten [B, C * L'] -> Linear                        -> [B, latent]
 *                 concat c [B, latent + |c|] -> fc_mu, fc_logvar       -> mu, logvar [B, latent]
 * reparameterize  z = mu + exp(logvar / 2) * eps, eps ~ N(0, I)       -> z [B, latent]
 * decode          concat(z, c) [B, latent + |c|] -> Linear -> reshape  -> [B, C, L']
 *                 n x (TransposedConv1d k7 p3 -> BatchNorm -> ELU)    -> [B, channels[0], L]
 *                 Conv1d(k7 p3, 1 channel) -> squeeze                  -> x_hat [B, L]
 * loss            MSE(x_hat, x) + klWeight * KL(N(mu, exp(logvar)) || N(0, I))
 * </pre>
 *
 * <p>Channels and strides come from {@link CvaeArchitecture}. At the paper's depth 12 the encoder's channels are
 * 8, 16, 32, 64, 128, 256, 256, 128, 64, 32, 16, 8, every encoder layer halves the length (L' = L / 4096) and every
 * decoder layer doubles it on the way back; deeper networks keep the length in the layers a short adapter does not
 * need (the depth-vs-length rule, see there).
 *
 * <p>Two DJL details stay out of the way: DJL's PyTorch engine has no transposed convolution, so the decoder uses the
 * kit's {@link TransposedConv1d}; and a constant multiplied into the autograd graph goes through
 * {@link org.icmlora.engine.Scalars#times}, because DJL's {@code x.mul(0.5)} frees the constant before the backward
 * pass reads it.
 */
public final class CvaeModel extends AbstractBlock {

    private final CvaeArchitecture plan;
    private final int latentDim;
    private final int conditionDim;

    private final SequentialBlock encoder = new SequentialBlock();
    private final Linear encoderHead;
    private final Linear fcMu;
    private final Linear fcLogVar;
    private final Linear decoderInput;
    private final SequentialBlock decoder = new SequentialBlock();
    private final Conv1d outputConv;

    /** The network of {@code plan} with a latent of {@code latentDim} and conditions of {@code conditionDim}. */
    public CvaeModel(CvaeArchitecture plan, int latentDim, int conditionDim) {
        this.plan = plan;
        this.latentDim = latentDim;
        this.conditionDim = conditionDim;
        int[] channels = plan.channels(); // depth 12: 8, 16, 32, 64, 128, 256, 256, 128, 64, 32, 16, 8
        for (int i = 0; i < plan.depth(); i++) {
            encoder.add(conv(channels[i], plan.encoderStride(i)))
                    .add(BatchNorm.builder().build())
                    .add(Activation.leakyReluBlock(0.01f));
        }
        addChildBlock("encoder", encoder);
        encoderHead = addChildBlock("encoder_head", Linear.builder().setUnits(latentDim).build());
        fcMu = addChildBlock("fc_mu", Linear.builder().setUnits(latentDim).build());
        fcLogVar = addChildBlock("fc_logvar", Linear.builder().setUnits(latentDim).build());
        decoderInput = addChildBlock("decoder_input", Linear.builder()
                .setUnits((long) plan.bottleneckChannels() * plan.bottleneckLength()).build());
        for (int j = 0; j < plan.depth(); j++) {
            int stride = plan.decoderStride(j);
            decoder.add(new TransposedConv1d(plan.decoderInChannels(j), plan.decoderOutChannels(j),
                            CvaeArchitecture.KERNEL, stride, CvaeArchitecture.PADDING, stride - 1))
                    .add(BatchNorm.builder().build())
                    .add(Activation.eluBlock(1f));
        }
        addChildBlock("decoder", decoder);
        outputConv = addChildBlock("output_conv", conv(1, 1));
    }

    /** The layer plan. */
    public CvaeArchitecture plan() {
        return plan;
    }

    /** The approximate posterior q(z | x, c) = N(mu, exp(logVar)) of a batch: both {@code [B, latent]}. */
    public record Posterior(NDArray mu, NDArray logVar) {}

    /** The loss of a batch (paper Eq. 8) and its two parts, each a scalar. */
    public record Loss(NDArray total, NDArray mse, NDArray kl) {}

    /** q(z | x, c) for adapters {@code x [B, L]} and task vectors {@code c [B, |c|]} (paper Eqs. 2-3). */
    public Posterior encode(ParameterStore store, NDArray x, NDArray c, boolean training) {
        long batch = x.getShape().get(0);
        NDArray h = x.reshape(batch, 1, plan.paddedLength());                // [B, L] -> [B, 1, L]
        h = apply(encoder, store, h, training);                               // -> [B, C, L']
        h = apply(encoderHead, store, h.reshape(batch, -1), training);        // flatten [B, C * L'] -> [B, latent]
        h = h.concat(c, 1);                                                   // [B, latent + |c|]
        return new Posterior(apply(fcMu, store, h, training), apply(fcLogVar, store, h, training));
    }

    /**
     * A sample {@code z = mu + exp(logVar / 2) * eps} of q, differentiable in mu and logVar (paper Eq. 4), for standard
     * normal noise {@code eps} of mu's shape that the caller draws from its own generator
     * ({@link org.icmlora.generate.core.StandardNormal}: never from DJL's process-wide one, so a fit is the same
     * whatever runs beside it).
     */
    public static NDArray reparameterize(NDArray mu, NDArray logVar, NDArray eps) {
        return mu.add(times(logVar, 0.5).exp().mul(eps));
    }

    /** The reconstruction {@code [B, L]} of p(x | z, c) for latents {@code z [B, latent]} (paper Eqs. 5-6). */
    public NDArray decode(ParameterStore store, NDArray z, NDArray c, boolean training) {
        long batch = z.getShape().get(0);
        NDArray h = apply(decoderInput, store, z.concat(c, 1), training)     // [B, latent + |c|] -> [B, C * L']
                .reshape(batch, plan.bottleneckChannels(), plan.bottleneckLength()); // -> [B, C, L']
        h = apply(decoder, store, h, training);                              // -> [B, channels[0], L]
        return apply(outputConv, store, h, training)                         // -> [B, 1, L]
                .reshape(batch, plan.paddedLength());                        // -> [B, L]
    }

    /**
     * Mean squared reconstruction error plus {@code klWeight} times the KL divergence of q(z | x, c) from N(0, I),
     * summed over latent units and averaged over the batch (paper Eq. 8).
     *
     * <p>Reconstruction and target must have the same shape. The reference code compares a [B, 1, L] target with a
     * [B, L] output, which broadcasts to [B, B, L] and mixes every sample with every other one when B > 1; here that
     * is an error.
     */
    public static Loss loss(NDArray reconstruction, NDArray target, NDArray mu, NDArray logVar, float klWeight) {
        if (!reconstruction.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("CVAE loss: reconstruction " + reconstruction.getShape()
                    + " and target " + target.getShape() + " must have the same shape (no broadcasting)");
        }
        if (!mu.getShape().equals(logVar.getShape()) || mu.getShape().get(0) != target.getShape().get(0)) {
            throw new IllegalArgumentException("CVAE loss: mu " + mu.getShape() + " and logvar " + logVar.getShape()
                    + " must both be [batch, latent] for a batch of " + target.getShape().get(0));
        }
        NDArray mse = reconstruction.sub(target).square().mean();
        // KL(N(mu, s^2) || N(0, 1)) = -1/2 (1 + log s^2 - mu^2 - s^2) per unit: summed over units, averaged over B
        NDArray kl = times(logVar.add(1).sub(mu.square()).sub(logVar.exp()).sum(new int[] {1}), -0.5).mean();
        return new Loss(mse.add(times(kl, klWeight)), mse, kl);
    }

    /**
     * Inputs {@code (x [B, L], c [B, |c|], eps [B, latent])}, eps the reparameterisation noise (see
     * {@link #reparameterize}); outputs {@code (x_hat [B, L], mu, logVar)}.
     */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray c = inputs.get(1);
        Posterior q = encode(store, x, c, training);
        NDArray z = reparameterize(q.mu(), q.logVar(), inputs.get(2));
        return new NDList(decode(store, z, c, training), q.mu(), q.logVar());
    }

    /** Initialises every parameter for conditions of the configured size. */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(2, plan.paddedLength()), new Shape(2, conditionDim),
                new Shape(2, latentDim));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long bottleneck = (long) plan.bottleneckChannels() * plan.bottleneckLength();
        encoder.initialize(manager, dataType, new Shape(batch, 1, plan.paddedLength()));
        encoderHead.initialize(manager, dataType, new Shape(batch, bottleneck));
        fcMu.initialize(manager, dataType, new Shape(batch, latentDim + conditionDim));
        fcLogVar.initialize(manager, dataType, new Shape(batch, latentDim + conditionDim));
        decoderInput.initialize(manager, dataType, new Shape(batch, latentDim + conditionDim));
        decoder.initialize(manager, dataType, new Shape(batch, plan.bottleneckChannels(), plan.bottleneckLength()));
        outputConv.initialize(manager, dataType, new Shape(batch, plan.channels()[0], plan.paddedLength()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {new Shape(batch, plan.paddedLength()), new Shape(batch, latentDim),
            new Shape(batch, latentDim)};
    }

    /** A Conv1d with kernel 7, padding 3 and {@code filters} output channels. */
    private static Conv1d conv(int filters, int stride) {
        return Conv1d.builder().setKernelShape(new Shape(CvaeArchitecture.KERNEL)).optStride(new Shape(stride))
                .optPadding(new Shape(CvaeArchitecture.PADDING)).setFilters(filters).build();
    }

    /** {@code block} applied to one array (DJL blocks take and return lists). */
    private static NDArray apply(Block block, ParameterStore store, NDArray input, boolean training) {
        return block.forward(store, new NDList(input), training).singletonOrThrow();
    }
}
