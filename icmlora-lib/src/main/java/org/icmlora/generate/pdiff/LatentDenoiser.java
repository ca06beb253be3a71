package org.icmlora.generate.pdiff;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.icmlora.generate.core.PdiffConfig;
import org.icmlora.generate.nn.InstanceNorm1d;

/**
 * The noise predictor of the latent DDPM (after COND P-DIFF): the noisy latent and the task condition are
 * concatenated along the length axis into a one-channel sequence; a 1-D conv encoder (kernel 3, InstanceNorm,
 * LeakyReLU) widens it through {@code channels}, a mirrored decoder narrows it back with additive skip connections, a
 * time embedding is added in every block, and a final Linear maps the flattened features to the predicted noise.
 * Inputs: {@code (x_t [B, D], time features [B, E], c [B, C])}.
 *
 * <p>Time embedding: sinusoidal features of t ({@link #timeFeatures}) followed by a learned projection per block.
 * The reference learns a free table row per timestep; with T = 1000 rows each row is then updated only by the few
 * samples that drew its timestep, which at the kit's training sizes leaves most rows near their initial values.
 * The embedding is added after each block's instance norm, not before its convolution: a per-channel constant added
 * before a convolution comes out as a per-channel constant, which the instance norm then subtracts again, so the
 * network would barely see the timestep.
 */
public final class LatentDenoiser extends AbstractBlock {

    private static final float SLOPE = 0.01f;

    private final int latentSize;
    private final int conditionSize;
    private final int[] channels;
    private final int timeEmbedding;
    private final List<Linear> encoderTime = new ArrayList<>();
    private final List<Conv1d> encoderConv = new ArrayList<>();
    private final List<Linear> decoderTime = new ArrayList<>();
    private final List<Conv1d> decoderConv = new ArrayList<>();
    private final Linear output;

    /** A denoiser for latents of {@code latentSize}, conditions of {@code conditionSize}. */
    public LatentDenoiser(PdiffConfig config, int latentSize, int conditionSize) {
        this.latentSize = latentSize;
        this.conditionSize = conditionSize;
        this.channels = config.denoiserChannels().clone();
        this.timeEmbedding = config.timeEmbedding();
        for (int k = 0; k < channels.length; k++) {
            encoderTime.add(addChildBlock("enc_time_" + k, Linear.builder().setUnits(channels[k]).build()));
            encoderConv.add(addChildBlock("enc_conv_" + k, conv(channels[k])));
        }
        for (int k = channels.length - 1; k >= 1; k--) {
            decoderTime.add(addChildBlock("dec_time_" + k, Linear.builder().setUnits(channels[k - 1]).build()));
            decoderConv.add(addChildBlock("dec_conv_" + k, conv(channels[k - 1])));
        }
        output = addChildBlock("output", Linear.builder().setUnits(latentSize).build());
    }

    private static Conv1d conv(int filters) {
        return Conv1d.builder().setKernelShape(new Shape(3)).optPadding(new Shape(1)).setFilters(filters).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray time = inputs.get(1);
        NDArray c = inputs.get(2);
        long batch = x.getShape().get(0);
        NDArray h = x.concat(c, 1).reshape(batch, 1, latentSize + conditionSize);
        List<NDArray> skips = new ArrayList<>();
        for (int k = 0; k < channels.length; k++) {
            h = block(store, h, time, encoderTime.get(k), encoderConv.get(k), training);
            skips.add(h);
        }
        for (int i = 0; i < decoderConv.size(); i++) {
            int k = channels.length - 1 - i;
            h = block(store, h, time, decoderTime.get(i), decoderConv.get(i), training).add(skips.get(k - 1));
        }
        NDArray flat = h.reshape(batch, -1);
        return new NDList(output.forward(store, new NDList(flat), training).singletonOrThrow());
    }

    private static NDArray block(ParameterStore store, NDArray h, NDArray time, Linear timeProjection, Conv1d conv,
            boolean training) {
        NDArray t = timeProjection.forward(store, new NDList(time), training).singletonOrThrow().expandDims(2);
        NDArray y = conv.forward(store, new NDList(h), training).singletonOrThrow();
        return Activation.leakyRelu(InstanceNorm1d.apply(y).add(t), SLOPE);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long length = latentSize + conditionSize;
        Shape time = new Shape(batch, timeEmbedding);
        for (int k = 0; k < channels.length; k++) {
            encoderTime.get(k).initialize(manager, dataType, time);
            encoderConv.get(k).initialize(manager, dataType, new Shape(batch, k == 0 ? 1 : channels[k - 1], length));
        }
        for (int i = 0; i < decoderConv.size(); i++) {
            int k = channels.length - 1 - i;
            decoderTime.get(i).initialize(manager, dataType, time);
            decoderConv.get(i).initialize(manager, dataType, new Shape(batch, channels[k], length));
        }
        output.initialize(manager, dataType, new Shape(batch, channels[0] * length));
    }

    /**
     * Sinusoidal features of the timesteps {@code steps}: for {@code k < E/2}, {@code sin(t f_k)} and
     * {@code cos(t f_k)} with {@code f_k = 10000^(-k / (E/2))}; row-major {@code [steps.length, size]}.
     */
    public static float[] timeFeatures(int[] steps, int size) {
        int half = size / 2;
        float[] features = new float[steps.length * size];
        for (int r = 0; r < steps.length; r++) {
            for (int k = 0; k < half; k++) {
                double angle = steps[r] * Math.exp(-Math.log(10_000) * k / half);
                features[r * size + k] = (float) Math.sin(angle);
                features[r * size + half + k] = (float) Math.cos(angle);
            }
        }
        return features;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), latentSize)};
    }
}
