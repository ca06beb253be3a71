package org.icmlora.generate.pdiff;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Random;
import org.icmlora.engine.Scalars;
import org.icmlora.generate.core.PdiffConfig;
import org.icmlora.generate.core.StandardNormal;
import org.icmlora.generate.nn.InstanceNorm1d;
import org.icmlora.generate.nn.TransposedConv1d;

/**
 * P-DIFF's parameter autoencoder (1-D convolutions, after p-diff v1).
 *
 * <pre>
 * encoder, per stage: [LeakyReLU, InstanceNorm]* -> Conv1d(k5, p2) -> LeakyReLU -> InstanceNorm -> Conv1d(k5, stride 5)
 *          then Tanh: [B, 1, L] -> [B, latentChannels, L / 5^stages]
 * decoder, per stage: [LeakyReLU]* -> InstanceNorm -> TransposedConv1d(k5, stride 5) -> LeakyReLU -> InstanceNorm
 *          -> Conv1d(k5, p2), then Conv1d(k5, p2 -> 1 channel)
 * </pre>
 * (* not in the first stage.) Deviations from the reference, all documented: the first encoder stage does not
 * instance-normalise the raw one-channel input (that would discard each checkpoint's own mean and scale); the stride-1 convolutions pad by 2 so the length is kept exactly; the number of stages is reduced
 * for short adapters so that the latent keeps at least {@value #MIN_LATENT_LENGTH} positions (instance norm over a
 * handful of positions is degenerate); decoder widths are {@code decoderWidth} for all stages but the last (8).
 */
public final class ParameterAutoencoder extends AbstractBlock {

    /** Fold factor per stage. */
    public static final int FOLD = 5;
    static final int MIN_LATENT_LENGTH = 8;
    private static final float SLOPE = 0.01f;

    private final int stages;
    private final int paddedLength;
    private final int latentChannels;
    private final SequentialBlock encoder = new SequentialBlock();
    private final SequentialBlock decoder = new SequentialBlock();

    /** The autoencoder of {@code config} for adapters of length {@code adapterLength}. */
    public ParameterAutoencoder(PdiffConfig config, int adapterLength) {
        this.stages = stagesFor(config.foldStages(), adapterLength);
        int unit = pow(FOLD, stages);
        this.paddedLength = (adapterLength + unit - 1) / unit * unit;
        this.latentChannels = config.latentChannels();
        int c = latentChannels;
        for (int i = 0; i < stages; i++) {
            if (i > 0) {
                encoder.add(Activation.leakyReluBlock(SLOPE));
                encoder.add(InstanceNorm1d.block());
            }
            encoder.add(conv(c, 1, 2));
            encoder.add(Activation.leakyReluBlock(SLOPE));
            encoder.add(InstanceNorm1d.block());
            encoder.add(conv(c, FOLD, 0));
        }
        encoder.add(Activation.tanhBlock());
        addChildBlock("encoder", encoder);
        int in = latentChannels;
        for (int j = 0; j < stages; j++) {
            int out = j + 1 < stages ? config.decoderWidth() : 8;
            if (j > 0) {
                decoder.add(Activation.leakyReluBlock(SLOPE));
            }
            decoder.add(InstanceNorm1d.block());
            decoder.add(new TransposedConv1d(in, out, FOLD, FOLD, 0, 0));
            decoder.add(Activation.leakyReluBlock(SLOPE));
            decoder.add(InstanceNorm1d.block());
            decoder.add(conv(out, 1, 2));
            in = out;
        }
        decoder.add(conv(1, 1, 2));
        addChildBlock("decoder", decoder);
    }

    /** Largest stage count up to {@code configured} that leaves at least 8 latent positions. */
    static int stagesFor(int configured, int adapterLength) {
        int s = configured;
        while (s > 0 && (adapterLength + pow(FOLD, s) - 1) / pow(FOLD, s) < MIN_LATENT_LENGTH) {
            s--;
        }
        return s;
    }

    private static Conv1d conv(int filters, int stride, int padding) {
        return Conv1d.builder().setKernelShape(new Shape(FOLD)).optStride(new Shape(stride))
                .optPadding(new Shape(padding)).setFilters(filters).build();
    }

    private static int pow(int base, int exponent) {
        int result = 1;
        for (int i = 0; i < exponent; i++) {
            result *= base;
        }
        return result;
    }

    /** Stages in use. */
    public int stages() {
        return stages;
    }

    /** Length the adapter is padded to (a multiple of 5^stages). */
    public int paddedLength() {
        return paddedLength;
    }

    /** Size of the flattened latent. */
    public int latentSize() {
        return latentChannels * (paddedLength / pow(FOLD, stages));
    }

    /** The latent {@code [B, latentSize]} of {@code x [B, paddedLength]}, in (-1, 1). */
    public NDArray encode(ParameterStore store, NDArray x, boolean training) {
        long batch = x.getShape().get(0);
        return encoder.forward(store, new NDList(x.reshape(batch, 1, paddedLength)), training).singletonOrThrow()
                .reshape(batch, latentSize());
    }

    /** The reconstruction {@code [B, paddedLength]} of a latent {@code [B, latentSize]}. */
    public NDArray decode(ParameterStore store, NDArray latent, boolean training) {
        long batch = latent.getShape().get(0);
        return decoder.forward(store, new NDList(latent.reshape(batch, latentChannels, -1)), training)
                .singletonOrThrow().reshape(batch, paddedLength);
    }

    /**
     * P-DIFF's autoencoder objective on a batch {@code x [B, paddedLength]}: noise the input, encode, noise the latent,
     * clamp it to [-1, 1], decode, and take the mean squared error against the clean {@code x}; both noises come from
     * {@code random}.
     */
    public NDArray trainingLoss(ParameterStore store, NDArray x, float inputNoise, float latentNoise, Random random) {
        NDArray latent = augment(encode(store, augment(x, inputNoise, random), true), latentNoise, random).clip(-1, 1);
        return decode(store, latent, true).sub(x).square().mean();
    }

    /** {@code x (1 - f) + f * noise}, the noise N(0, 1) from {@code random}: P-DIFF's noise augmentation. */
    private static NDArray augment(NDArray x, float factor, Random random) {
        NDArray noise = StandardNormal.array(random, x.getShape(), x.getManager());
        return Scalars.times(x, 1 - factor).add(Scalars.times(noise, factor));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(decode(store, encode(store, inputs.singletonOrThrow(), training), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        encoder.initialize(manager, dataType, new Shape(batch, 1, paddedLength));
        decoder.initialize(manager, dataType, new Shape(batch, latentChannels, latentSize() / latentChannels));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), paddedLength)};
    }
}
