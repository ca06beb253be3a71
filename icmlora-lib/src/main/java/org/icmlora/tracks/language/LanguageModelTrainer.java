package org.icmlora.tracks.language;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.Random;
import org.icmlora.engine.KitEngine;
import org.icmlora.models.gpt.Gpt;
import org.icmlora.train.AdamW;
import org.icmlora.train.GradientClipping;
import org.icmlora.train.TrainableParameters;
import org.icmlora.train.TrainingLoop;

/**
 * One epoch of next-token training of a {@link Gpt} on a token stream (the {@link TrainingLoop} runs the epochs,
 * seeds them, checkpoints and resumes): {@code stepsPerEpoch} steps of {@code batchSize} windows of
 * {@code contextLength + 1} tokens whose starts are drawn from the epoch's generator; nothing else is random (no
 * dropout). Each step clips the global gradient norm to {@value #MAX_GRADIENT_NORM} and takes an AdamW step on the
 * parameters that take gradients (after LoRA injection: only the adapters).
 */
public final class LanguageModelTrainer implements TrainingLoop.Epoch {

    /** Global gradient-norm bound of every step (see {@link GradientClipping}). */
    private static final double MAX_GRADIENT_NORM = 1.0;

    /**
     * How long and how fast to train.
     *
     * @param epochs        N
     * @param stepsPerEpoch optimizer steps per epoch
     * @param batchSize     windows per step
     * @param learningRate  AdamW learning rate
     * @param weightDecay   AdamW decoupled weight decay
     */
    public record Schedule(int epochs, int stepsPerEpoch, int batchSize, float learningRate, float weightDecay) {
        public Schedule {
            if (epochs < 1 || stepsPerEpoch < 1 || batchSize < 1) {
                throw new IllegalArgumentException("epochs, steps per epoch and batch size must be >= 1, got "
                        + epochs + ", " + stepsPerEpoch + ", " + batchSize);
            }
        }
    }

    private final Gpt model;
    private final Map<String, Parameter> trainable;
    private final int[] tokens;
    private final Schedule schedule;
    private final AdamW optimizer;
    private final NDManager manager;

    /** Trains {@code model}'s parameters that take gradients on {@code tokens} with {@code optimizer}. */
    public LanguageModelTrainer(String what, Gpt model, int[] tokens, Schedule schedule, AdamW optimizer,
            NDManager manager) {
        int context = model.config().contextLength();
        if (tokens.length < context + 2) {
            throw new IllegalArgumentException(what + ": training text has " + tokens.length + " tokens, fewer than "
                    + "one window of " + (context + 1));
        }
        this.model = model;
        this.trainable = TrainableParameters.of(model);
        this.tokens = tokens;
        this.schedule = schedule;
        this.optimizer = optimizer;
        this.manager = manager;
    }

    @Override
    public Map<String, Double> train(int epoch, Random draws) {
        double sum = 0;
        for (int step = 0; step < schedule.stepsPerEpoch(); step++) {
            sum += step(draws);
        }
        return Map.of("loss", sum / schedule.stepsPerEpoch());
    }

    /** Mean next-token cross-entropy (nats) of one batch; updates the trainable weights. */
    private double step(Random draws) {
        int batchSize = schedule.batchSize();
        int context = model.config().contextLength();
        long[] inputs = new long[batchSize * context];
        long[] targets = new long[batchSize * context];
        for (int b = 0; b < batchSize; b++) {
            int start = draws.nextInt(tokens.length - context);
            for (int t = 0; t < context; t++) {
                inputs[b * context + t] = tokens[start + t];
                targets[b * context + t] = tokens[start + t + 1];
            }
        }
        float loss;
        try (NDManager step = manager.newSubManager()) {
            try (GradientCollector collector = KitEngine.newGradientCollector()) {
                NDArray logits = model.forward(new ParameterStore(step, false),
                        new NDList(step.create(inputs, new Shape(batchSize, context))), true).head();
                NDArray mean = Gpt.meanNextTokenLoss(logits, step.create(targets, new Shape(batchSize, context)));
                collector.backward(mean);
                loss = mean.getFloat();
            }
            GradientClipping.clipGlobalNorm(trainable, MAX_GRADIENT_NORM);
            optimizer.step(trainable);
        }
        return loss;
    }
}
