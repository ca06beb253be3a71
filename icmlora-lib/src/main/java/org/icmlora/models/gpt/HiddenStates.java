package org.icmlora.models.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.icmlora.models.gpt.Gpt;

/** Runs a {@link Gpt} on token samples and takes its last-layer hidden state at each sample's last position. */
public final class HiddenStates {

    private HiddenStates() {}

    /** One row per sample: h at the sample's last token. Samples must all have the same length (<= context). */
    public static float[][] lastPosition(Gpt model, List<int[]> samples, NDManager manager) {
        int length = samples.get(0).length;
        long[] ids = new long[samples.size() * length];
        for (int s = 0; s < samples.size(); s++) {
            if (samples.get(s).length != length) {
                throw new IllegalArgumentException("samples must have equal length; sample " + s + " has "
                        + samples.get(s).length + ", sample 0 has " + length);
            }
            for (int t = 0; t < length; t++) {
                ids[s * length + t] = samples.get(s)[t];
            }
        }
        int d = model.config().width();
        float[][] rows = new float[samples.size()][];
        try (NDManager pass = manager.newSubManager()) {
            NDArray hidden = model.forward(new ParameterStore(pass, false),
                    new NDList(pass.create(ids, new Shape(samples.size(), length))), false).get(1);
            float[] last = hidden.get(new NDIndex(":, -1, :")).toFloatArray();
            for (int s = 0; s < rows.length; s++) {
                rows[s] = java.util.Arrays.copyOfRange(last, s * d, (s + 1) * d);
            }
        }
        return rows;
    }
}
