package org.icmlora.eval;

import java.util.List;

/**
 * Totals from scoring a text with a language model, and the two metrics of {@code metrics.md}:
 * {@code PPL = exp(NLL / tokens)} (token-weighted over the whole text) and
 * {@code BPC = NLL / (ln 2 * characters)}, characters being Unicode code points of the scored text.
 *
 * @param negativeLogLikelihood summed NLL of the predicted tokens, in nats
 * @param tokens                number of predicted tokens
 * @param characters            code points of the scored text
 * @param tokenizer             id of the tokenizer (PPL depends on it)
 */
public record LanguageModelScore(double negativeLogLikelihood, long tokens, long characters, String tokenizer) {

    public LanguageModelScore {
        if (tokens < 1 || characters < 1) {
            throw new IllegalArgumentException("a score needs at least one token and one character, got " + tokens
                    + " tokens and " + characters + " characters");
        }
        if (!(negativeLogLikelihood >= 0) || Double.isInfinite(negativeLogLikelihood)) {
            throw new IllegalArgumentException("negative log-likelihood must be a finite number >= 0, got "
                    + negativeLogLikelihood);
        }
    }

    /**
     * The score of documents scored one by one: NLL, tokens and characters summed in list order. This is the score of
     * a whole split when every document is listed, and of a bootstrap resample when each document is listed as often
     * as it was drawn.
     */
    public static LanguageModelScore of(List<DocumentScore> documents, String tokenizer) {
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("a score of documents needs at least one document");
        }
        double nll = 0;
        long tokens = 0;
        long characters = 0;
        for (DocumentScore d : documents) {
            nll += d.negativeLogLikelihood();
            tokens += d.tokens();
            characters += d.characters();
        }
        return new LanguageModelScore(nll, tokens, characters, tokenizer);
    }

    /** Perplexity per token. */
    public double perplexity() {
        return Math.exp(negativeLogLikelihood / tokens);
    }

    /** Bits per character. */
    public double bitsPerCharacter() {
        return negativeLogLikelihood / (Math.log(2) * characters);
    }

    /** Mean NLL per token in nats (the cross-entropy). */
    public double meanLoss() {
        return negativeLogLikelihood / tokens;
    }
}
