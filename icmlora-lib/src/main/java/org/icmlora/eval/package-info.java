/**
 * Metrics, as {@code shared/reference/metrics.md} defines them: COCO average precision ({@link
 * org.icmlora.eval.CocoAveragePrecision}, the pycocotools definition) and perplexity / bits per character ({@link
 * org.icmlora.eval.LanguageModelEvaluator}); and distances between adapter vectors for the controls ({@link
 * org.icmlora.eval.AdapterDistances}: memorisation index, per-tensor fidelity).
 */
package org.icmlora.eval;
