/**
 * Metrics, as {@code shared/reference/metrics.md} defines them: COCO average precision ({@link
 * org.icmlora.eval.CocoAveragePrecision}, the pycocotools definition) and perplexity / bits per character ({@link
 * org.icmlora.eval.LanguageModelEvaluator}).
 */
package org.icmlora.eval;
