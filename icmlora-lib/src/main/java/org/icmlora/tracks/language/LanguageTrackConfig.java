package org.icmlora.tracks.language;

import java.util.List;
import org.icmlora.models.gpt.GptConfig;

/**
 * Every size and hyper-parameter of the language-modelling track besides the run's seeds and LoRA settings; the
 * profile files under {@code experiments/profiles/} set every value (keys {@code language.<component>}).
 *
 * @param model             the GPT (byte-level vocabulary by default)
 * @param base              pretraining on the general corpus
 * @param lora              per-domain LoRA fine-tuning (epochs = N)
 * @param keptEpochs        K: the adapters of the last K of N epochs form the series (paper: 50 of 150)
 * @param loraTargets       the layers LoRA adapts (regular expressions over layer names)
 * @param maxTrainChars     code points of a corpus's train split used for training
 * @param testDocuments     test documents per domain scored for PPL/BPC (the split's first ones in a fixed
 *                          order; set it above the split's size to score the whole split)
 * @param evalStride        sliding-window stride of the evaluation (see LanguageModelEvaluator)
 * @param taskVectorSamples N of Eq. 1: windows of the validation split run through the model
 * @param extraDomains      prepared corpora trained as tasks in the same adapter frame beyond the paper's five
 *                          domains, used by no table (the held-out experiment's pool)
 */
public record LanguageTrackConfig(GptConfig model, LanguageModelTrainer.Schedule base,
        LanguageModelTrainer.Schedule lora, int keptEpochs, List<String> loraTargets, int maxTrainChars,
        int testDocuments, int evalStride, int taskVectorSamples, List<String> extraDomains) {

    public LanguageTrackConfig {
        loraTargets = List.copyOf(loraTargets);
        extraDomains = List.copyOf(extraDomains);
        if (keptEpochs < 1 || keptEpochs > lora.epochs()) {
            throw new IllegalArgumentException("keptEpochs must be in [1, " + lora.epochs() + "], got " + keptEpochs);
        }
        if (taskVectorSamples < 2 || maxTrainChars < 2 || testDocuments < 1 || evalStride < 1) {
            throw new IllegalArgumentException("task-vector samples and training text must be >= 2, test documents"
                    + " and the evaluation stride >= 1");
        }
    }
}
