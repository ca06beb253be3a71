package org.icmlora.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.icmlora.data.text.TextDocument;
import org.icmlora.engine.KitEngine;
import org.icmlora.models.gpt.ByteTokenizer;
import org.icmlora.models.gpt.Gpt;
import org.icmlora.models.gpt.GptConfig;
import org.junit.jupiter.api.Test;

class LanguageModelEvaluatorTest {

    private static final String TEXT = "Call me Ishmael. Some years ago, never mind how long precisely.";
    private static final GptConfig SMALL = new GptConfig(256, 16, 8, 1, 2, true);
    private static final ByteTokenizer BYTES = new ByteTokenizer();

    /** A model whose every logit is 0: each token costs ln 256 nats. */
    private static Gpt uniformModel(NDManager manager) {
        Gpt model = new Gpt(SMALL);
        model.initialize(manager);
        model.namedWeights().get("tok_emb").getArray().muli(0); // tied head: every logit is 0
        return model;
    }

    /** A seeded random model, its weights scaled up so that predictions depend strongly on the context. */
    private static Gpt randomModel(NDManager manager) {
        KitEngine.seed(3);
        Gpt model = new Gpt(SMALL);
        model.initialize(manager);
        model.namedWeights().values().forEach(p -> p.getArray().muli(4));
        return model;
    }

    @Test
    void uniformModelHasPerplexityEqualToTheVocabularySize() {
        KitEngine.init(1);
        try (NDManager manager = KitEngine.newManager()) {
            Gpt model = uniformModel(manager);
            for (int stride : new int[] {16, 5, 1}) {
                LanguageModelScore score = LanguageModelEvaluator.score(model, BYTES, TEXT, stride, manager);
                assertEquals(TEXT.length() - 1, score.tokens(), "every token but the first is predicted once");
                assertEquals(256.0, score.perplexity(), 1e-3);
                assertEquals(8.0 * (TEXT.length() - 1) / TEXT.length(), score.bitsPerCharacter(), 1e-5);
            }
        }
    }

    @Test
    void documentsArePredictedFromTheirFirstTokenAndCountTokensAndCharactersApart() {
        KitEngine.init(1);
        List<TextDocument> documents = List.of(new TextDocument("ascii", TEXT),
                new TextDocument("accents", "Ça coûte déjà très cher, naïve idée."), new TextDocument("one", "x"));
        try (NDManager manager = KitEngine.newManager()) {
            List<DocumentScore> scores = LanguageModelEvaluator.scoreDocuments(uniformModel(manager), BYTES, documents,
                    5, manager);
            assertEquals(List.of("ascii", "accents", "one"), scores.stream().map(DocumentScore::document).toList());
            long bytes = 0;
            long characters = 0;
            for (int i = 0; i < documents.size(); i++) {
                String text = documents.get(i).text();
                int utf8 = text.getBytes(StandardCharsets.UTF_8).length;
                assertEquals(utf8, scores.get(i).tokens(), "every byte of the document is predicted");
                assertEquals(text.codePointCount(0, text.length()), scores.get(i).characters());
                assertEquals(utf8 * Math.log(256), scores.get(i).negativeLogLikelihood(), 1e-3);
                bytes += utf8;
                characters += scores.get(i).characters();
            }
            LanguageModelScore total = LanguageModelScore.of(scores, BYTES.id());
            assertEquals(256.0, total.perplexity(), 1e-3);
            assertEquals(8.0 * bytes / characters, total.bitsPerCharacter(), 1e-5);
        }
    }

    @Test
    void documentScoresAddUpToTheScoreOfAnySetOrResample() {
        DocumentScore a = new DocumentScore("a", 4 * Math.log(2) + Math.log(3), 4, 2);
        DocumentScore b = new DocumentScore("b", 2 * Math.log(5), 2, 3);
        LanguageModelScore both = LanguageModelScore.of(List.of(a, b), "bytes");
        assertEquals(4 * Math.log(2) + Math.log(3) + 2 * Math.log(5), both.negativeLogLikelihood(), 1e-12);
        assertEquals(Math.exp((4 * Math.log(2) + Math.log(3) + 2 * Math.log(5)) / 6), both.perplexity(), 1e-12);
        assertEquals(Math.pow(2 * 2 * 2 * 2 * 3 * 5 * 5, 1.0 / 6), both.perplexity(), 1e-12);
        assertEquals((4 + Math.log(3) / Math.log(2) + 2 * Math.log(5) / Math.log(2)) / 5, both.bitsPerCharacter(),
                1e-12);
        LanguageModelScore resample = LanguageModelScore.of(List.of(a, a, b), "bytes"); // a drawn twice
        assertEquals(10, resample.tokens());
        assertEquals(7, resample.characters());
        assertEquals(Math.pow(Math.pow(2 * 2 * 2 * 2 * 3, 2) * 5 * 5, 1.0 / 10), resample.perplexity(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> LanguageModelScore.of(List.of(), "bytes"));
    }

    @Test
    void slidingWindowsMatchScoringEveryTokenWithItsFullLeftContext() {
        KitEngine.init(1);
        String text = "It is a truth universally acknowledged, that a single man in possession of a good fortune";
        try (NDManager manager = KitEngine.newManager()) {
            Gpt model = randomModel(manager);
            int[] tokens = concat(BYTES.encode(LanguageModelEvaluator.DOCUMENT_BOUNDARY), BYTES.encode(text));
            double expected = 0;
            for (int p = 2; p < tokens.length; p++) {
                expected -= logProbability(model, tokens, Math.max(0, p - SMALL.contextLength()), p, manager);
            }
            DocumentScore score = LanguageModelEvaluator.scoreDocuments(model, BYTES,
                    List.of(new TextDocument("austen", text)), 1, manager).get(0);
            assertEquals(expected, score.negativeLogLikelihood(), 1e-4 * expected);
            assertTrue(Math.abs(expected - text.length() * Math.log(256)) > 0.05 * expected,
                    "the random model is far from uniform: " + expected);
        }
    }

    @Test
    void aDocumentShorterThanTheContextScoresTheSameAtEveryStride() {
        KitEngine.init(1);
        TextDocument document = new TextDocument("short", "Short text.");
        try (NDManager manager = KitEngine.newManager()) {
            Gpt model = randomModel(manager);
            int[] tokens = concat(BYTES.encode(LanguageModelEvaluator.DOCUMENT_BOUNDARY), BYTES.encode(document.text()));
            double expected = 0;
            for (int p = 2; p < tokens.length; p++) {
                expected -= logProbability(model, tokens, 0, p, manager);
            }
            for (int stride : new int[] {16, 5, 1}) {
                double nll = LanguageModelEvaluator.scoreDocuments(model, BYTES, List.of(document), stride, manager)
                        .get(0).negativeLogLikelihood();
                assertEquals(expected, nll, 1e-4 * expected, "stride " + stride);
            }
        }
    }

    @Test
    void aDocumentScoresTheSameAloneOrAmongOthers() {
        KitEngine.init(1);
        TextDocument a = new TextDocument("a", TEXT);
        TextDocument b = new TextDocument("b", "There was no possibility of taking a walk that day.");
        TextDocument c = new TextDocument("c", "It was the best of times, it was the worst of times.");
        try (NDManager manager = KitEngine.newManager()) {
            Gpt model = randomModel(manager);
            List<DocumentScore> together = LanguageModelEvaluator.scoreDocuments(model, BYTES, List.of(a, b, c), 4,
                    manager);
            DocumentScore alone = LanguageModelEvaluator.scoreDocuments(model, BYTES, List.of(b), 4, manager).get(0);
            assertEquals(alone.negativeLogLikelihood(), together.get(1).negativeLogLikelihood(),
                    1e-5 * alone.negativeLogLikelihood(), "no document sees another's text");
            assertEquals(alone, new DocumentScore("b", alone.negativeLogLikelihood(), together.get(1).tokens(),
                    together.get(1).characters()));
        }
    }

    @Test
    void badInputIsNamed() {
        KitEngine.init(1);
        try (NDManager manager = KitEngine.newManager()) {
            Gpt model = uniformModel(manager);
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () ->
                    LanguageModelEvaluator.scoreDocuments(model, BYTES, List.of(new TextDocument("blank", "")), 4,
                            manager));
            assertTrue(empty.getMessage().contains("blank"), empty.getMessage());
            IllegalArgumentException stride = assertThrows(IllegalArgumentException.class, () ->
                    LanguageModelEvaluator.scoreDocuments(model, BYTES, List.of(new TextDocument("d", TEXT)), 17,
                            manager));
            assertTrue(stride.getMessage().contains("stride"), stride.getMessage());
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
        assertThrows(IllegalArgumentException.class, () -> new DocumentScore("d", 1, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> new DocumentScore("d", Double.POSITIVE_INFINITY, 2, 3));
    }

    /** log p(tokens[p] | tokens[from, p)) from one forward pass, independently of the evaluator's windows. */
    private static double logProbability(Gpt model, int[] tokens, int from, int p, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            long[] inputs = Arrays.stream(Arrays.copyOfRange(tokens, from, p)).asLongStream().toArray();
            NDArray logits = model.forward(new ParameterStore(step, false),
                    new NDList(step.create(inputs, new Shape(1, inputs.length))), false).head();
            float[] last = logits.get(0, inputs.length - 1).toFloatArray();
            double max = Double.NEGATIVE_INFINITY;
            for (float v : last) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (float v : last) {
                sum += Math.exp(v - max);
            }
            return last[tokens[p]] - max - Math.log(sum);
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
