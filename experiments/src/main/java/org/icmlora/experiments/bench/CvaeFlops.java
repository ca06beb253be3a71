package org.icmlora.experiments.bench;

import org.icmlora.generate.cvae.CvaeArchitecture;

/**
 * Floating-point operations of the CVAE per sample, counted from its layer shapes: a multiply-add counts two.
 * Convolutions and linear layers only; batch norm, activations, the loss and the optimiser are a few operations per
 * activation or weight and are left out, as are the biases. A transposed convolution counts {@code in * out * kernel}
 * multiply-adds per input position (what the polyphase evaluation computes, less its few zero taps).
 *
 * @param encoder       forward pass of the encoder's convolutions and its three linear layers
 * @param decoder       forward pass of the decoder: its input layer, transposed convolutions and output convolution
 * @param firstLayer    forward pass of the first encoder convolution, whose input (the data) needs no gradient
 */
public record CvaeFlops(long encoder, long decoder, long firstLayer) {

    /** The counts of the network of {@code plan} with the given latent and condition sizes. */
    public static CvaeFlops of(CvaeArchitecture plan, int latentDim, int conditionDim) {
        int[] channels = plan.channels();
        long kernel = CvaeArchitecture.KERNEL;
        long encoder = 0;
        long firstLayer = 0;
        long length = plan.paddedLength();
        long in = 1;
        for (int i = 0; i < plan.depth(); i++) {
            length /= plan.encoderStride(i); // k7, p3: the output length is the input's divided by the stride
            long layer = in * channels[i] * kernel * length;
            firstLayer = i == 0 ? layer : firstLayer;
            encoder += layer;
            in = channels[i];
        }
        long bottleneck = (long) plan.bottleneckChannels() * plan.bottleneckLength();
        long joint = latentDim + conditionDim;
        encoder += bottleneck * latentDim + 2 * joint * latentDim; // encoder head, fc_mu, fc_logvar
        long decoder = joint * bottleneck;
        length = plan.bottleneckLength();
        for (int j = 0; j < plan.depth(); j++) {
            decoder += (long) plan.decoderInChannels(j) * plan.decoderOutChannels(j) * kernel * length;
            length *= plan.decoderStride(j);
        }
        decoder += channels[0] * kernel * length; // output convolution to one channel
        return new CvaeFlops(2 * encoder, 2 * decoder, 2 * firstLayer);
    }

    /** One forward pass. */
    public long forward() {
        return encoder + decoder;
    }

    /**
     * One training step's share of a sample: the forward pass, then for every layer the gradient with respect to its
     * input and to its weights, each as costly as its forward pass, except the first layer's input gradient.
     */
    public long training() {
        return 3 * forward() - firstLayer;
    }

    /** Generating one adapter: the decoder's forward pass. */
    public long generation() {
        return decoder;
    }
}
