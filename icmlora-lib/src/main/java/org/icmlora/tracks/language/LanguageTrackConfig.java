package org.icmlora.tracks.language;

import java.util.List;
import org.icmlora.engine.Profile;
import org.icmlora.lora.LoraConfig;
import org.icmlora.models.gpt.GptConfig;

/**
 * Every size and hyper-parameter of the language-modelling track; profiles change these numbers, never the code.
 *
 * @param model             the GPT (byte-level vocabulary by default)
 * @param base              pretraining on the general corpus
 * @param lora              per-domain LoRA fine-tuning (epochs = N)
 * @param keepLastEpochs    K: the adapters of the last K of N epochs form the checkpoint series (paper: 50 of 150)
 * @param adapter           LoRA rank, alpha, targets (attention and MLP projections by default)
 * @param maxTrainChars     code points of a corpus's train split used for training (documents in id order)
 * @param evalMaxChars      code points of a test split scored for PPL/BPC
 * @param evalStride        sliding-window stride of the evaluation (see LanguageModelEvaluator)
 * @param taskVectorSamples N of Eq. 1: windows of the validation split run through the fine-tuned model
 */
public record LanguageTrackConfig(GptConfig model, LanguageModelTrainer.Schedule base,
        LanguageModelTrainer.Schedule lora, int keepLastEpochs, LoraConfig adapter, int maxTrainChars,
        int evalMaxChars, int evalStride, int taskVectorSamples) {

    /** Attention q, k, v, o and both MLP projections of every block. */
    public static final List<String> DEFAULT_TARGETS = List.of(".*attn\\.(q|k|v|o)", ".*mlp\\.(fc|proj)");

    public LanguageTrackConfig {
        if (keepLastEpochs < 1 || keepLastEpochs > lora.epochs()) {
            throw new IllegalArgumentException("keepLastEpochs must be in [1, " + lora.epochs() + "], got "
                    + keepLastEpochs);
        }
        if (taskVectorSamples < 2 || evalMaxChars < 2 || maxTrainChars < 2) {
            throw new IllegalArgumentException("task-vector samples, evaluation and training sizes must be >= 2");
        }
    }

    /**
     * SMOKE: seconds, for tests. QUICK: base pretraining plus five domains' LoRA series in a few minutes on two CPU
     * cores. FULL: a bigger model and the paper's 150 epochs keeping the last 50, for a GPU.
     */
    public static LanguageTrackConfig forProfile(Profile profile) {
        LoraConfig rank2 = new LoraConfig(2, 4f, LoraConfig.Scaling.STANDARD, 0f, LoraConfig.Init.KAIMING_UNIFORM,
                DEFAULT_TARGETS);
        return switch (profile) {
            case SMOKE -> new LanguageTrackConfig(GptConfig.forProfile(profile),
                    new LanguageModelTrainer.Schedule(3, 6, 4, 3e-3f, 0.01f, 1),
                    new LanguageModelTrainer.Schedule(4, 3, 4, 1e-2f, 0f, 2), 2, rank2, 20_000, 1_500, 32, 6);
            case QUICK -> new LanguageTrackConfig(GptConfig.forProfile(profile),
                    new LanguageModelTrainer.Schedule(20, 60, 16, 2e-3f, 0.01f, 1),
                    new LanguageModelTrainer.Schedule(30, 6, 16, 5e-3f, 0f, 2), 10, rank2, 1_500_000, 20_000, 32, 64);
            case FULL -> new LanguageTrackConfig(GptConfig.forProfile(profile),
                    new LanguageModelTrainer.Schedule(60, 200, 32, 1e-3f, 0.01f, 1),
                    new LanguageModelTrainer.Schedule(150, 20, 32, 2e-3f, 0f, 2), 50, rank2, 6_000_000, 200_000, 128,
                    256);
        };
    }

    /** The same track with adapters of another rank (alpha = 2 r, so the scale stays 2). */
    public LanguageTrackConfig withRank(int rank) {
        return new LanguageTrackConfig(model, base, lora, keepLastEpochs, adapter.withRank(rank).withAlpha(2f * rank),
                maxTrainChars, evalMaxChars, evalStride, taskVectorSamples);
    }
}
