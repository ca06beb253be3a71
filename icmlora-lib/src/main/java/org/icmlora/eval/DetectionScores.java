package org.icmlora.eval;

/**
 * COCO average precision of one category (or a mean over categories) at the usual IoU thresholds.
 *
 * @param ap50   AP at IoU 0.50 (mAP50 when averaged over categories)
 * @param ap75   AP at IoU 0.75
 * @param ap5095 AP averaged over IoU 0.50, 0.55, ..., 0.95 (COCO's primary "AP")
 */
public record DetectionScores(double ap50, double ap75, double ap5095) {}
