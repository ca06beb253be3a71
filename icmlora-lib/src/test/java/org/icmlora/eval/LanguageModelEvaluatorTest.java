package org.icmlora.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import org.icmlora.engine.KitEngine;
import org.icmlora.models.gpt.ByteTokenizer;
import org.icmlora.models.gpt.Gpt;
import org.icmlora.models.gpt.GptConfig;
import org.junit.jupiter.api.Test;

class LanguageModelEvaluatorTest {

    private static final String TEXT = "Call me Ishmael. Some years ago, never mind how long precisely.";

    @Test
    void uniformModelHasPerplexityEqualToTheVocabularySize() {
        KitEngine.init(1);
        try (NDManager manager = KitEngine.newManager()) {
            Gpt model = new Gpt(new GptConfig(256, 16, 8, 1, 2, true));
            model.initialize(manager);
            model.namedWeights().get("tok_emb").getArray().muli(0); // tied head: every logit is 0
            for (int stride : new int[] {16, 5, 1}) {
                LanguageModelScore score = LanguageModelEvaluator.score(model, new ByteTokenizer(), TEXT, stride,
                        manager);
                assertEquals(TEXT.length() - 1, score.tokens(), "every token but the first is predicted once");
                assertEquals(256.0, score.perplexity(), 1e-3);
                assertEquals(8.0 * (TEXT.length() - 1) / TEXT.length(), score.bitsPerCharacter(), 1e-5);
            }
        }
    }

    @Test
    void bitsPerCharacterAndPerplexityOnAHandComputedCase() {
        // 4 tokens, 2 characters (a byte model on 2-byte characters), NLL = 4 ln 2 + ln 3
        double nll = 4 * Math.log(2) + Math.log(3);
        LanguageModelScore score = new LanguageModelScore(nll, 4, 2, "bytes");
        assertEquals((4 + Math.log(3) / Math.log(2)) / 2, score.bitsPerCharacter(), 1e-12);
        assertEquals(Math.exp(nll / 4), score.perplexity(), 1e-12);
        assertEquals(2 * Math.pow(3, 0.25), score.perplexity(), 1e-12);
    }

    @Test
    void emptyScoresAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LanguageModelScore(1, 0, 3, "bytes"));
        assertThrows(IllegalArgumentException.class, () -> new LanguageModelScore(Double.NaN, 2, 3, "bytes"));
    }
}
