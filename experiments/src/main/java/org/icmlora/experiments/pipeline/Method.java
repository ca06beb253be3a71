package org.icmlora.experiments.pipeline;

import java.util.Arrays;
import java.util.List;
import org.icmlora.experiments.KitConfig;
import org.icmlora.generate.core.GeneratorConfig;
import org.icmlora.generate.core.PdiffConfig;
import org.icmlora.generate.core.PreparedData;
import org.icmlora.generate.core.SoupConfig;

/**
 * The rows of the paper's Tables 1 and 2, in the paper's order and with its names, plus the kit's Task-mean LoRA: the
 * lookup control a generator must beat (the paper does not report it).
 */
public enum Method {
    /** The adapter of the last fine-tuning epoch: what the generators try to reproduce. */
    ORIGINAL_LORA("Original LoRA"),
    /** The base model without any adapter. */
    ORIGINAL_MODEL("Original Model"),
    /**
     * The mean weight change of the task's own kept checkpoints (a per-task Model Soup), found by the nearest stored
     * task vector: what a generator that only memorised one key per task would return. Not in the paper.
     */
    TASK_MEAN_LORA("Task-mean LoRA"),
    /**
     * The uniform soup of every task's checkpoints: one adapter served for every task, so it ignores the condition
     * (see the soup generator's documentation).
     */
    MODEL_SOUP("Model Soup"),
    /** Parameter autoencoder + conditional latent diffusion (Jin et al. 2024), trained to its step budget. */
    COND_P_DIFF("COND P-DIFF"),
    /** The paper's conditional VAE. */
    ICM_LORA("ICM-LoRA");

    private final String paperName;

    Method(String paperName) {
        this.paperName = paperName;
    }

    /** The row label the paper uses (the kit's own for Task-mean LoRA). */
    public String paperName() {
        return paperName;
    }

    /** True for the methods that generate adapters (Tables 3-5 compare only these). */
    public boolean isGenerator() {
        return this != ORIGINAL_LORA && this != ORIGINAL_MODEL;
    }

    /**
     * The configuration of this generating method in {@code config}, for a training set of {@code trainingPairs}
     * checkpoints. COND P-DIFF trains each phase at least as many optimiser steps as the CVAE takes on the same pairs
     * (and on until its loss is flat, {@link PdiffConfig#plateau}), so it is never the under-trained baseline.
     */
    public GeneratorConfig generator(KitConfig config, int trainingPairs) {
        return switch (this) {
            case TASK_MEAN_LORA -> new SoupConfig(SoupConfig.Scope.PER_TASK, config.soup().averaging());
            case MODEL_SOUP -> config.soup();
            case COND_P_DIFF -> withCvaeStepBudget(config, trainingPairs);
            case ICM_LORA -> config.cvae();
            case ORIGINAL_LORA, ORIGINAL_MODEL -> throw new IllegalStateException(paperName
                    + " is not a generating method");
        };
    }

    /** The generating methods, in row order. */
    public static List<Method> generators() {
        return Arrays.stream(values()).filter(Method::isGenerator).toList();
    }

    private static PdiffConfig withCvaeStepBudget(KitConfig config, int trainingPairs) {
        PdiffConfig pdiff = config.pdiff();
        long cvaeSteps = (long) config.cvae().epochs() * PreparedData.batchCount(trainingPairs,
                config.cvae().batchSize());
        int perEpoch = PreparedData.batchCount(trainingPairs, pdiff.batchSize());
        int epochs = (int) Math.min(Integer.MAX_VALUE, (cvaeSteps + perEpoch - 1) / perEpoch);
        return pdiff.withEpochs(Math.max(pdiff.aeEpochs(), epochs), Math.max(pdiff.ddpmEpochs(), epochs));
    }
}
