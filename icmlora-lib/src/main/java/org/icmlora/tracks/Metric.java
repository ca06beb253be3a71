package org.icmlora.tracks;

/**
 * A metric a track reports.
 *
 * @param name           the column name of the paper's tables ("map50", "ppl", ...)
 * @param higherIsBetter true for mAP, false for perplexity and bits per character
 */
public record Metric(String name, boolean higherIsBetter) {}
