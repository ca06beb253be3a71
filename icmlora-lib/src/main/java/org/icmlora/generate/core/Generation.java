package org.icmlora.generate.core;

import java.util.List;

/**
 * What one generation call produced: the sampled flat adapter vectors and the wall-clock time the call took
 * (Table 3 reports generation cost next to storage).
 *
 * @param samples adapter vectors in {@link org.icmlora.lora.LoraLayout} order, de-normalised
 * @param nanos   wall-clock duration of the call, sampling and de-normalisation included
 */
public record Generation(List<float[]> samples, long nanos) {

    /** The first sample. */
    public float[] first() {
        return samples.get(0);
    }

    /** Wall-clock latency of the call in seconds. */
    public double seconds() {
        return nanos / 1e9;
    }
}
