package org.icmlora.generate.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 1-D transposed convolution (PyTorch {@code ConvTranspose1d} semantics), which DJL's PyTorch engine lacks.
 *
 * <p>Weight layout is PyTorch's {@code [in, out, kernel]}; the output length is
 * {@code (L - 1) * stride - 2 * padding + kernel + outputPadding}. Output position {@code t} receives
 * {@code x[i] * w[k]} for every {@code i * stride + k - padding = t}.
 *
 * <p><b>Polyphase evaluation.</b> Writing {@code u = t + padding = m * stride + phase}, only the taps
 * {@code k = phase, phase + stride, ...} reach phase {@code phase}, with input index {@code m - j} for tap
 * {@code phase + j * stride}. Each phase is therefore an ordinary (flipped) convolution of the un-dilated input with a
 * sub-kernel of {@code ceil(kernel / stride)} taps (zero taps fill the shorter phases). All phases run as ONE
 * convolution whose {@code out * stride} output channels are the (channel, phase) pairs, zero-padded by the
 * convolution itself (no padded copy of the input); a reshape and one transpose interleave the phases along the length
 * and a slice crops the padding. No multiplication is spent on the zeros that
 * the textbook "insert zeros, then convolve" version feeds to its kernel (its work is {@code stride} times this one's,
 * less the few zero taps), and one large convolution runs faster than {@code stride} small ones with their copies.
 * Gradients come from DJL's autograd through these ops.
 */
public final class TransposedConv1d extends AbstractBlock {

    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int outputPadding;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param inChannels input channels
     * @param outChannels output channels
     * @param kernel kernel size
     * @param stride upsampling factor
     * @param padding cropped from both ends of the full output
     * @param outputPadding extra positions kept at the end ({@code < stride})
     */
    public TransposedConv1d(int inChannels, int outChannels, int kernel, int stride, int padding, int outputPadding) {
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || stride < 1) {
            throw new IllegalArgumentException("TransposedConv1d: channels, kernel and stride must be >= 1, got in="
                    + inChannels + " out=" + outChannels + " kernel=" + kernel + " stride=" + stride);
        }
        if (padding < 0 || outputPadding < 0 || outputPadding >= stride) {
            throw new IllegalArgumentException("TransposedConv1d: need padding >= 0 and 0 <= outputPadding < stride, got"
                    + " padding=" + padding + " outputPadding=" + outputPadding + " stride=" + stride);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.outputPadding = outputPadding;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(inChannels, outChannels, kernel)).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(outChannels)).build());
    }

    /** Output length for an input of length {@code inputLength}. */
    public int outputLength(int inputLength) {
        return outputLength(inputLength, kernel, stride, padding, outputPadding);
    }

    /** Output length of a transposed convolution with these settings. */
    public static int outputLength(int inputLength, int kernel, int stride, int padding, int outputPadding) {
        return (inputLength - 1) * stride - 2 * padding + kernel + outputPadding;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = store.getValue(bias, x.getDevice(), training);
        return new NDList(polyphase(x, w, b, stride, padding, outputPadding));
    }

    /**
     * The polyphase transposed convolution as a function: {@code x [B, in, L]}, {@code w [in, out, K]},
     * {@code b [out]} or null. Every intermediate array is attached to {@code x}'s manager, so a per-batch
     * sub-manager frees them.
     */
    public static NDArray polyphase(NDArray x, NDArray w, NDArray b, int stride, int padding, int outputPadding) {
        Shape xs = x.getShape();
        if (xs.dimension() != 3 || xs.get(1) != w.getShape().get(0)) {
            throw new IllegalArgumentException("TransposedConv1d: expected input [batch, " + w.getShape().get(0)
                    + ", length], got " + xs);
        }
        long batch = xs.get(0);
        int length = (int) xs.get(2);
        int outCh = (int) w.getShape().get(1);
        int k = (int) w.getShape().get(2);
        int outLength = outputLength(length, k, stride, padding, outputPadding);
        if (outLength < 1) {
            throw new IllegalArgumentException("TransposedConv1d: output length " + outLength + " < 1 for input " + xs);
        }
        // u = t + padding = m * stride + phase: phase conv position m in [0, phaseLength) covers the output
        int phaseLength = ceilDiv(outLength + padding, stride);
        int taps = ceilDiv(k, stride);
        // the conv's own zero padding, taps - 1 on each side, gives outputs m in [0, length + taps - 1); where that
        // falls short of phaseLength, `extra` more on each side shift every output by `extra` positions
        int extra = Math.max(0, phaseLength - (length + taps - 1));
        int convPadding = taps - 1 + extra;
        NDManager manager = x.getManager();
        NDArray kernel = phaseKernels(w, stride, taps, manager);
        NDArray bias = b == null ? null : ownedBy(manager, b.reshape(outCh, 1))   // each channel's bias per phase
                .broadcast(outCh, stride).reshape((long) outCh * stride);
        NDArray phases = Conv1d.conv1d(x, kernel, bias, new Shape(1), new Shape(convPadding)).singletonOrThrow();
        long positions = phases.getShape().get(2);
        NDArray interleaved = phases                          // [B, out * stride, m]: channel o * stride + phase
                .reshape(batch, outCh, stride, positions)       // [B, out, phase, m]
                .transpose(0, 1, 3, 2)                          // [B, out, m, phase]
                .reshape(batch, outCh, positions * stride);     // [B, out, u], u = m * stride + phase
        long start = padding + (long) extra * stride;
        return interleaved.get(new NDIndex(":, :, {}:{}", start, start + outLength));
    }

    /**
     * The conv kernel {@code [out * stride, in, taps]} of all phases from {@code w [in, out, K]}: output channel
     * {@code o * stride + phase} holds taps {@code phase + j * stride} of {@code w[:, o, :]}, reversed (a transposed
     * convolution correlates with the flipped kernel); taps beyond K are zero. Owned by {@code manager}.
     */
    private static NDArray phaseKernels(NDArray w, int stride, int taps, NDManager manager) {
        long in = w.getShape().get(0);
        long out = w.getShape().get(1);
        int k = (int) w.getShape().get(2);
        return ownedBy(manager, w.pad(new Shape(0, (long) taps * stride - k), 0)) // [in, out, taps * stride]
                .reshape(in, out, taps, stride)                                   // tap j * stride + phase
                .transpose(1, 3, 0, 2)                                            // [out, stride, in, taps]
                .reshape(out * stride, in, taps)
                .flip(2);
    }

    /**
     * {@code array} moved into {@code manager}. An array computed from a parameter belongs to the parameter's manager
     * and would live as long as the model; moved into the batch's manager it (and what is computed from it) is freed
     * with the batch.
     */
    private static NDArray ownedBy(NDManager manager, NDArray array) {
        array.attach(manager);
        return array;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), outChannels, outputLength((int) in.get(2)))};
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        // Parameter shapes are fixed by the constructor.
    }

    @Override
    public String toString() {
        return "TransposedConv1d(" + inChannels + "->" + outChannels + ", k" + kernel + ", s" + stride + ", p"
                + padding + ", op" + outputPadding + ")";
    }
}
