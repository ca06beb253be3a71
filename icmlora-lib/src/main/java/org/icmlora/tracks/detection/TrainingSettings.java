package org.icmlora.tracks.detection;

import org.icmlora.train.AdamW;

/**
 * How one training run of the detector goes.
 *
 * @param examples     examples per epoch (scene indices 0 .. examples-1, shuffled anew each epoch)
 * @param epochs       passes over them
 * @param batchSize    examples per step
 * @param learningRate peak learning rate (linear warm-up over the first 5% of steps, then cosine decay to 10%)
 * @param weightDecay  AdamW's decoupled weight decay
 */
public record TrainingSettings(int examples, int epochs, int batchSize, float learningRate, float weightDecay) {

    public TrainingSettings {
        if (examples < 1 || epochs < 1 || batchSize < 1 || !(learningRate > 0) || weightDecay < 0) {
            throw new IllegalArgumentException("training needs examples, epochs, batch size >= 1, a positive learning "
                    + "rate and a non-negative weight decay, got " + examples + ", " + epochs + ", " + batchSize + ", "
                    + learningRate + ", " + weightDecay);
        }
    }

    /** Steps in one epoch (the last batch may be smaller). */
    public int stepsPerEpoch() {
        return (examples + batchSize - 1) / batchSize;
    }

    /** Learning rate at global step {@code step} (0-based). */
    public float learningRate(int step) {
        int total = stepsPerEpoch() * epochs;
        int warmup = Math.max(1, total / 20);
        if (step < warmup) {
            return learningRate * (step + 1) / warmup;
        }
        double progress = (double) (step - warmup) / Math.max(1, total - warmup);
        return (float) (learningRate * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress))));
    }
}
