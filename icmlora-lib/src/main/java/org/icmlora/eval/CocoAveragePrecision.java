package org.icmlora.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Average precision of one category exactly as pycocotools' {@code COCOeval} computes it for bounding boxes, area
 * range "all" and {@code maxDets = 100}.
 *
 * <p>Per image: detections sorted by score (stable, descending) and cut to the best 100; ground truth with the
 * ignored boxes last. For each IoU threshold t, every detection in score order takes the unmatched ground truth with
 * the highest IoU >= min(t, 1 - 1e-10) (a crowd box stays available and is overlapped as intersection over the
 * detection's area; once an ordinary box has matched, ignored boxes are not looked at). A detection matched to an
 * ignored box is dropped, an unmatched one is a false positive. Over all images: detections merged and sorted by
 * score (stable), cumulative TP and FP, recall = TP / (number of non-ignored ground truths), precision =
 * TP / (TP + FP + eps); precision made non-increasing from the right; at each of the 101 recall thresholds
 * 0, 0.01, ..., 1 the precision at the first index whose recall reaches it (0 when recall never does); AP is the mean
 * of the 101 values. A category without non-ignored ground truth has no AP (NaN), as in pycocotools (-1).
 */
public final class CocoAveragePrecision {

    /** pycocotools' {@code maxDets} for the reported AP. */
    public static final int MAX_DETECTIONS = 100;

    private CocoAveragePrecision() {}

    /** AP50, AP75 and AP50:95 of one category over the given images. */
    public static DetectionScores evaluate(List<ImageDetections> images) {
        double sum = 0;
        for (int i = 0; i < 10; i++) {
            sum += averagePrecision(images, iouThreshold(i));
        }
        return new DetectionScores(averagePrecision(images, 0.5), averagePrecision(images, 0.75), sum / 10);
    }

    /**
     * The ten IoU thresholds of AP50:95 as numpy's {@code linspace(.5, .95, 10)} gives them (index 0 is 0.5, 5 is
     * 0.75, 9 is 0.95).
     */
    public static double iouThreshold(int index) {
        if (index < 0 || index > 9) {
            throw new IllegalArgumentException("IoU threshold index must be 0-9, got " + index);
        }
        return index == 9 ? 0.95 : index * ((0.95 - 0.5) / 9) + 0.5;
    }

    /**
     * AP of one category at one IoU threshold; NaN when no image has a non-ignored ground-truth box. The ranking and
     * the 101-point interpolation are {@link RankedDetections}'s (which also rescores resamples of the images).
     */
    public static double averagePrecision(List<ImageDetections> images, double iouThreshold) {
        return RankedDetections.of(images, iouThreshold).averagePrecision();
    }

    /** The mean of the categories' values that are defined (NaN values, categories without ground truth, skipped). */
    public static double meanOverCategories(Collection<Double> perCategory) {
        return perCategory.stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).average()
                .orElse(Double.NaN);
    }

    /** Appends {score, 1 = TP / 0 = FP / -1 = dropped} of each of the image's best 100 detections to {@code ranked}. */
    static void matchImage(ImageDetections image, double iouThreshold, List<double[]> ranked) {
        List<ScoredBox> detections = new ArrayList<>(image.detections());
        detections.sort(Comparator.comparingDouble((ScoredBox d) -> -d.score()));
        if (detections.size() > MAX_DETECTIONS) {
            detections = detections.subList(0, MAX_DETECTIONS);
        }
        List<GroundTruthBox> truths = new ArrayList<>(image.groundTruth());
        truths.sort(Comparator.comparing(GroundTruthBox::isIgnored)); // stable: ordinary boxes first
        boolean[] taken = new boolean[truths.size()];
        for (ScoredBox detection : detections) {
            double best = Math.min(iouThreshold, 1 - 1e-10);
            int match = -1;
            for (int g = 0; g < truths.size(); g++) {
                GroundTruthBox truth = truths.get(g);
                if (taken[g] && !truth.crowd()) {
                    continue;
                }
                if (match > -1 && !truths.get(match).isIgnored() && truth.isIgnored()) {
                    break;
                }
                double iou = overlap(detection, truth);
                if (iou < best) {
                    continue;
                }
                best = iou;
                match = g;
            }
            double outcome;
            if (match == -1) {
                outcome = 0;
            } else {
                taken[match] = true;
                outcome = truths.get(match).isIgnored() ? -1 : 1;
            }
            ranked.add(new double[] {detection.score(), outcome});
        }
    }

    private static double overlap(ScoredBox detection, GroundTruthBox truth) {
        if (!truth.crowd()) {
            return detection.box().iou(truth.box());
        }
        double area = detection.box().area();
        return area <= 0 ? 0 : detection.box().intersection(truth.box()) / area;
    }
}
