package org.icmlora.generate.cvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.icmlora.engine.Scalars;
import org.icmlora.generate.nn.TransposedConv1d;

/**
 * The conditional VAE of ICM-LoRA (paper Eqs. 2-9, reference architecture in official-code-notes.md).
 *
 * <pre>
 * encoder: [B, 1, L] -> n x (Conv1d k7 p3, stride per plan -> BatchNorm -> LeakyReLU 0.01) -> flatten
 *          -> Linear(-> latent) -> concat task vector c -> fc_mu, fc_logvar: Linear(latent + |c| -> latent)
 * decoder: concat(z, c) -> Linear(-> channels * bottleneck length) -> reshape
 *          -> n x (TransposedConv1d k7 p3, stride per plan, output padding 1 where stride 2 -> BatchNorm -> ELU)
 *          -> Conv1d(k7 p3 -> 1 channel) -> [B, L]
 * </pre>
 * The forward pass takes {@code (x [B, L], c [B, |c|], eps [B, latent])} and returns
 * {@code (reconstruction [B, L], mu, logvar)}; {@code eps} is the reparameterisation noise, N(0, I), which the caller
 * draws from its own generator ({@link org.icmlora.generate.core.StandardNormal}).
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
        for (int i = 0; i < plan.depth(); i++) {
            encoder.add(Conv1d.builder().setKernelShape(new Shape(CvaeArchitecture.KERNEL))
                    .optStride(new Shape(plan.encoderStride(i))).optPadding(new Shape(CvaeArchitecture.PADDING))
                    .setFilters(plan.channels()[i]).build());
            encoder.add(BatchNorm.builder().build());
            encoder.add(Activation.leakyReluBlock(0.01f));
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
                    CvaeArchitecture.KERNEL, stride, CvaeArchitecture.PADDING, stride - 1));
            decoder.add(BatchNorm.builder().build());
            decoder.add(Activation.eluBlock(1f));
        }
        addChildBlock("decoder", decoder);
        outputConv = addChildBlock("output_conv", Conv1d.builder().setKernelShape(new Shape(CvaeArchitecture.KERNEL))
                .optPadding(new Shape(CvaeArchitecture.PADDING)).setFilters(1).build());
    }

    /** The layer plan. */
    public CvaeArchitecture plan() {
        return plan;
    }

    /** Mean and log-variance of q(z | x, c): {@code x [B, L]}, {@code c [B, |c|]}. */
    public NDList encode(ParameterStore store, NDArray x, NDArray c, boolean training) {
        long batch = x.getShape().get(0);
        NDArray features = encoder.forward(store, new NDList(x.reshape(batch, 1, plan.paddedLength())), training)
                .singletonOrThrow().reshape(batch, -1);
        NDArray h = encoderHead.forward(store, new NDList(features), training).singletonOrThrow().concat(c, 1);
        return new NDList(fcMu.forward(store, new NDList(h), training).singletonOrThrow(),
                fcLogVar.forward(store, new NDList(h), training).singletonOrThrow());
    }

    /** The reconstruction {@code [B, L]} of p(x | z, c). */
    public NDArray decode(ParameterStore store, NDArray z, NDArray c, boolean training) {
        long batch = z.getShape().get(0);
        NDArray h = decoderInput.forward(store, new NDList(z.concat(c, 1)), training).singletonOrThrow()
                .reshape(batch, plan.bottleneckChannels(), plan.bottleneckLength());
        NDArray upsampled = decoder.forward(store, new NDList(h), training).singletonOrThrow();
        return outputConv.forward(store, new NDList(upsampled), training).singletonOrThrow()
                .reshape(batch, plan.paddedLength());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray c = inputs.get(1);
        NDList moments = encode(store, x, c, training);
        NDArray mu = moments.get(0);
        NDArray logVar = moments.get(1);
        NDArray eps = inputs.get(2);
        NDArray z = mu.add(Scalars.times(logVar, 0.5).exp().mul(eps));
        return new NDList(decode(store, z, c, training), mu, logVar);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        encoder.initialize(manager, dataType, new Shape(batch, 1, plan.paddedLength()));
        encoderHead.initialize(manager, dataType,
                new Shape(batch, (long) plan.bottleneckChannels() * plan.bottleneckLength()));
        fcMu.initialize(manager, dataType, new Shape(batch, latentDim + conditionDim));
        fcLogVar.initialize(manager, dataType, new Shape(batch, latentDim + conditionDim));
        decoderInput.initialize(manager, dataType, new Shape(batch, latentDim + conditionDim));
        decoder.initialize(manager, dataType,
                new Shape(batch, plan.bottleneckChannels(), plan.bottleneckLength()));
        outputConv.initialize(manager, dataType, new Shape(batch, plan.channels()[0], plan.paddedLength()));
    }

    /** Initialises every parameter for conditions of the configured size. */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(2, plan.paddedLength()), new Shape(2, conditionDim),
                new Shape(2, latentDim));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {new Shape(batch, plan.paddedLength()), new Shape(batch, latentDim),
            new Shape(batch, latentDim)};
    }
}
