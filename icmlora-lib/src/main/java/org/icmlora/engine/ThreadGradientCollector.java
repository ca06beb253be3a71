package org.icmlora.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

/**
 * Records the operations of one thread for a backward pass, as DJL's own collector does, but allows one per thread
 * instead of one per process. DJL's PyTorch collector refuses a second collector anywhere in the process (a static
 * flag), yet PyTorch's grad mode is a per-thread setting and backward passes through separate graphs may run at once;
 * so two trainings on two {@link Workers} each use one of these ({@link KitEngine#newGradientCollector()}).
 */
final class ThreadGradientCollector implements GradientCollector {

    private final boolean wasRecording;

    ThreadGradientCollector() {
        wasRecording = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    @Override
    public void backward(NDArray target) {
        try (NDArray seed = target.onesLike()) {
            JniUtils.backward((PtNDArray) target, (PtNDArray) seed, false, false);
        }
    }

    /** Not needed by the kit: its optimiser zeroes each gradient after the update it makes. */
    @Override
    public void zeroGradients() {
        throw new UnsupportedOperationException("the kit's optimiser zeroes gradients after each step (AdamW)");
    }

    @Override
    public void close() {
        JniUtils.setGradMode(wasRecording);
    }
}
