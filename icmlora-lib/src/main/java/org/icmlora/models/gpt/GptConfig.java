package org.icmlora.models.gpt;

/**
 * Sizes of the small GPT.
 *
 * @param vocabSize     tokens the model reads and predicts (256 for the byte-level tokenizer)
 * @param contextLength positions it can attend over
 * @param width         model width d (embedding size)
 * @param layers        transformer blocks
 * @param heads         attention heads; must divide {@code width}
 * @param tiedHead      true: the output layer reuses the token embedding (GPT-2); false: a separate {@code head}
 */
public record GptConfig(int vocabSize, int contextLength, int width, int layers, int heads, boolean tiedHead) {

    public GptConfig {
        if (vocabSize < 2 || contextLength < 2 || width < 1 || layers < 1 || heads < 1) {
            throw new IllegalArgumentException("GPT sizes must be positive (vocab and context >= 2), got vocab="
                    + vocabSize + " context=" + contextLength + " width=" + width + " layers=" + layers
                    + " heads=" + heads);
        }
        if (width % heads != 0) {
            throw new IllegalArgumentException("GPT width " + width + " is not divisible by heads " + heads);
        }
    }

    /** The same model with another vocabulary (for a trained tokenizer). */
    public GptConfig withVocabSize(int newVocabSize) {
        return new GptConfig(newVocabSize, contextLength, width, layers, heads, tiedHead);
    }
}
