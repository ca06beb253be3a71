package org.icmlora.generate.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.icmlora.engine.Shuffle;

/**
 * A training set after standardisation, in the form the trained generators consume: normalised adapter vectors
 * zero-padded to the network's length, scaled task vectors, and mini-batches drawn from a seeded shuffle.
 */
public final class PreparedData {

    private final float[][] adapters;
    private final float[][] conditions;
    private final int paddedLength;
    private final String fingerprint;

    /** Standardises {@code data} with {@code standardization} and pads adapters to {@code paddedLength}. */
    public PreparedData(TrainingSet data, Standardization standardization, int paddedLength) {
        if (paddedLength < data.adapterLength()) {
            throw new IllegalArgumentException("padded length " + paddedLength + " is shorter than the adapter length "
                    + data.adapterLength());
        }
        int n = data.size();
        adapters = new float[n][];
        conditions = new float[n][];
        ByteBuffer bytes = ByteBuffer.allocate(4 * (data.adapterLength() + data.conditionLength()))
                .order(ByteOrder.LITTLE_ENDIAN);
        MessageDigest digest = newDigest();
        digest.update(data.layout().toJson().getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < n; i++) {
            TrainingPair pair = data.pairs().get(i);
            adapters[i] = java.util.Arrays.copyOf(standardization.adapters().normalize(pair.adapter()), paddedLength);
            conditions[i] = standardization.conditions().apply(pair.taskVector());
            bytes.clear();
            bytes.asFloatBuffer().put(pair.adapter()).put(pair.taskVector());
            digest.update(pair.taskId().getBytes(StandardCharsets.UTF_8));
            digest.update(bytes.array());
        }
        this.paddedLength = paddedLength;
        this.fingerprint = HexFormat.of().formatHex(digest.digest());
    }

    /** Number of pairs. */
    public int size() {
        return adapters.length;
    }

    /** Length the adapters are padded to. */
    public int paddedLength() {
        return paddedLength;
    }

    /** Length of the scaled task vectors. */
    public int conditionLength() {
        return conditions[0].length;
    }

    /** SHA-256 over the layout, task ids, adapters and task vectors: identifies the data for checkpoints. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The padded normalised adapters of {@code indices}, row after row ({@code [indices.length, paddedLength]}). */
    public float[] adapterBatch(int[] indices) {
        float[] batch = new float[indices.length * paddedLength];
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(adapters[indices[r]], 0, batch, r * paddedLength, paddedLength);
        }
        return batch;
    }

    /** The scaled task vectors of {@code indices}, row after row. */
    public float[] conditionBatch(int[] indices) {
        int length = conditionLength();
        float[] batch = new float[indices.length * length];
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(conditions[indices[r]], 0, batch, r * length, length);
        }
        return batch;
    }

    /**
     * A shuffled split of all pairs into batches of {@code batchSize}. A last batch of a single pair is dropped when
     * there are more pairs (BatchNorm cannot normalise one sample of length one); the next epoch's shuffle uses it.
     */
    public List<int[]> batches(int batchSize, Random random) {
        int n = size();
        int[] order = Shuffle.permutation(n, random);
        List<int[]> batches = new ArrayList<>();
        for (int b = 0; b < batchCount(n, batchSize); b++) {
            batches.add(java.util.Arrays.copyOfRange(order, b * batchSize, Math.min(n, (b + 1) * batchSize)));
        }
        return batches;
    }

    /**
     * How many batches (so optimiser steps) one epoch over {@code size} pairs takes at {@code batchSize}: one per
     * started batch, less a last batch of a single pair when there are more pairs (see {@link #batches}).
     */
    public static int batchCount(int size, int batchSize) {
        int count = (size + batchSize - 1) / batchSize;
        return size > 1 && size % batchSize == 1 ? count - 1 : count;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
