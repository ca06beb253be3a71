package org.icmlora.eval;

/**
 * The totals of one document scored by {@link LanguageModelEvaluator#scoreDocuments}: enough to recompute PPL and BPC
 * of any set or resample of documents exactly ({@link LanguageModelScore#of}), which is what a per-document bootstrap
 * needs.
 *
 * @param document              the document's id
 * @param negativeLogLikelihood summed NLL of the document's tokens, in nats
 * @param tokens                tokens predicted: all of the document's tokens
 * @param characters            code points of the document's text
 */
public record DocumentScore(String document, double negativeLogLikelihood, long tokens, long characters) {

    public DocumentScore {
        if (tokens < 1 || characters < 1) {
            throw new IllegalArgumentException("document " + document + ": a score needs at least one token and one "
                    + "character, got " + tokens + " tokens and " + characters + " characters");
        }
        if (!(negativeLogLikelihood >= 0) || Double.isInfinite(negativeLogLikelihood)) {
            throw new IllegalArgumentException("document " + document + ": negative log-likelihood must be a finite "
                    + "number >= 0, got " + negativeLogLikelihood);
        }
    }
}
