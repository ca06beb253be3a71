package org.icmlora.generate.cvae;

import org.icmlora.generate.core.CvaeConfig;

/**
 * Layer plan of the CVAE for a given depth and adapter length.
 *
 * <p><b>Channels.</b> Encoder layer {@code i} of {@code n} has {@code min(base * 2^min(i, n-1-i), max)} channels: a
 * doubling ramp up from the input side and a mirrored ramp down, capped. For n = 12, base 8, max 256 this is the
 * reference list 8, 16, 32, 64, 128, 256, 256, 128, 64, 32, 16, 8; for n = 10 it peaks at 128; for n = 13, 14 and 20
 * the cap gives a plateau of 256 in the middle. The decoder walks the same list backwards.
 *
 * <p><b>Depth vs length.</b> The reference halves the length in every layer and pads the adapter vector to a
 * multiple of 2^n. With n = 20 that would pad a 10k vector to a million. Here only the first
 * {@code S = min(n, ceil(log2 P))} encoder layers have stride 2; the remaining {@code n - S} layers (the deepest,
 * at the shortest length, so the cheapest) have stride 1 and keep the length, and the decoder mirrors it: its first
 * {@code n - S} transposed convolutions have stride 1, the last S stride 2 (with output padding 1). The vector is
 * zero-padded at the end to a multiple of 2^S (less than twice P) and the padding is cropped when generating. With
 * P >= 2^n this is exactly the reference network.
 *
 * @param depth            n
 * @param adapterLength    P
 * @param stridedLayers    S
 * @param paddedLength     P rounded up to a multiple of 2^S
 * @param channels         encoder channels, input side first
 */
public record CvaeArchitecture(int depth, int adapterLength, int stridedLayers, int paddedLength, int[] channels) {

    /** Kernel of every conv layer. */
    public static final int KERNEL = 7;
    /** Padding of every conv layer. */
    public static final int PADDING = 3;

    /** The plan for {@code config} and adapter vectors of length {@code adapterLength}. */
    public static CvaeArchitecture plan(CvaeConfig config, int adapterLength) {
        if (adapterLength < 1) {
            throw new IllegalArgumentException("adapter length must be >= 1, got " + adapterLength);
        }
        int n = config.depth();
        int strided = Math.min(n, ceilLog2(adapterLength));
        int unit = 1 << strided;
        int padded = (adapterLength + unit - 1) / unit * unit;
        int[] channels = new int[n];
        for (int i = 0; i < n; i++) {
            long c = (long) config.baseChannels() << Math.min(Math.min(i, n - 1 - i), 30);
            channels[i] = (int) Math.min(c, config.maxChannels());
        }
        return new CvaeArchitecture(n, adapterLength, strided, padded, channels);
    }

    /** Length after the encoder: {@code paddedLength / 2^S}. */
    public int bottleneckLength() {
        return paddedLength >> stridedLayers;
    }

    /** Channels after the encoder. */
    public int bottleneckChannels() {
        return channels[depth - 1];
    }

    /** Stride of encoder layer {@code i}: 2 for the first S layers, then 1. */
    public int encoderStride(int i) {
        return i < stridedLayers ? 2 : 1;
    }

    /** Stride of decoder layer {@code j}: 1 for the first n - S layers, then 2. */
    public int decoderStride(int j) {
        return j < depth - stridedLayers ? 1 : 2;
    }

    /** Output channels of decoder layer {@code j}: the encoder list backwards, the last layer keeping its width. */
    public int decoderOutChannels(int j) {
        return j + 1 < depth ? channels[depth - 2 - j] : channels[0];
    }

    /** Input channels of decoder layer {@code j}. */
    public int decoderInChannels(int j) {
        return channels[depth - 1 - j];
    }

    private static int ceilLog2(int value) {
        return value <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(value - 1);
    }
}
