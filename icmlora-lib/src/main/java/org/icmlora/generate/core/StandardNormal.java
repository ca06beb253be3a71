package org.icmlora.generate.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * Standard normal noise from a {@link Random} the caller owns (an epoch's, a generation's): the generators' training
 * and sampling noise never comes from DJL's process-wide generator, so a fit or a sample is the same whatever other
 * threads draw meanwhile ({@link org.icmlora.engine.Workers}).
 */
public final class StandardNormal {

    private StandardNormal() {}

    /** {@code n} draws of N(0, 1). */
    public static float[] draw(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /** An array of {@code shape} filled with draws of N(0, 1), on {@code manager}. */
    public static NDArray array(Random random, Shape shape, NDManager manager) {
        return manager.create(draw(random, Math.toIntExact(shape.size())), shape);
    }
}
