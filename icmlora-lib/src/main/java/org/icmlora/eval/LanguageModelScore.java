package org.icmlora.eval;

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
