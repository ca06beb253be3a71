package org.icmlora.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The detections of a set of images matched once to their ground truth at one IoU threshold and ranked by score, so
 * that the COCO average precision of any resample of the images (image i taken {@code w_i} times, as a bootstrap
 * draws them) takes one pass instead of a new evaluation. Matching is per image in COCO, so a resample only changes
 * how often each image's matched detections and ground truths count.
 *
 * <p>With every weight 1 the result equals {@link CocoAveragePrecision#averagePrecision} exactly (same matching, same
 * stable ranking, same 101-point interpolation). A duplicated image's detections count at their rank once per copy.
 */
public final class RankedDetections {

    private static final int RECALL_POINTS = 101;
    private static final double EPS = Math.ulp(1.0);

    private final int images;
    private final int[] countable;
    private final int[] image;
    private final byte[] outcome;

    private RankedDetections(int images, int[] countable, int[] image, byte[] outcome) {
        this.images = images;
        this.countable = countable;
        this.image = image;
        this.outcome = outcome;
    }

    /** Matches every image's detections at {@code iouThreshold} and ranks them all by score (image order breaks ties). */
    public static RankedDetections of(List<ImageDetections> images, double iouThreshold) {
        int[] countable = new int[images.size()];
        List<double[]> all = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            ImageDetections one = images.get(i);
            countable[i] = (int) one.groundTruth().stream().filter(g -> !g.isIgnored()).count();
            List<double[]> matched = new ArrayList<>();
            CocoAveragePrecision.matchImage(one, iouThreshold, matched);
            for (double[] m : matched) {
                all.add(new double[] {m[0], m[1], i});
            }
        }
        all.sort(Comparator.comparingDouble((double[] d) -> -d[0])); // stable: image order breaks ties
        // Below the last true positive no detection reaches a new recall or raises the interpolated precision, under
        // any weights: the AP never depends on them, and the bootstrap passes over the ranking a thousand times.
        int kept = all.size();
        while (kept > 0 && all.get(kept - 1)[1] != 1) {
            kept--;
        }
        int[] image = new int[kept];
        byte[] outcome = new byte[kept];
        for (int k = 0; k < kept; k++) {
            outcome[k] = (byte) all.get(k)[1];
            image[k] = (int) all.get(k)[2];
        }
        return new RankedDetections(images.size(), countable, image, outcome);
    }

    /** AP with every image once. */
    public double averagePrecision() {
        int[] once = new int[images];
        Arrays.fill(once, 1);
        return averagePrecision(once);
    }

    /**
     * AP when image i counts {@code weights[i]} times; NaN when no counted image has a non-ignored ground truth.
     *
     * <p>One backward pass over the ranked detections, without expanding the copies: a true positive's copies raise
     * recall and precision together, so the interpolated precision (the best precision at this rank or below) is the
     * same at every copy and equals the last copy's; a false positive's copies keep recall and lower precision, so no
     * recall threshold lands on any but the first, which holds the best of them; a dropped detection's copies repeat
     * one point. Each detection therefore counts as one point whose counts step by its weight, and the result is the
     * expanded computation's bit for bit: the same counts, the same divisions, the same order of the final sum.
     */
    public double averagePrecision(int[] weights) {
        if (weights.length != images) {
            throw new IllegalArgumentException("need a weight for each of " + images + " images, got " + weights.length);
        }
        long total = 0;
        for (int i = 0; i < images; i++) {
            total += (long) weights[i] * countable[i];
        }
        if (total == 0) {
            return Double.NaN;
        }
        long tp = 0;
        long fp = 0;
        for (int k = 0; k < image.length; k++) {
            if (outcome[k] == 1) {
                tp += weights[image[k]];
            } else if (outcome[k] == 0) {
                fp += weights[image[k]];
            }
        }
        // Backward: tp and fp are the counts after detection k; the thresholds above k's recall and at most the recall
        // of the point after it take that point's interpolated precision.
        double[] atThreshold = new double[RECALL_POINTS];
        int threshold = RECALL_POINTS - 1;
        double best = 0;
        double bestAfter = 0;
        double recallAfter = Double.NaN; // no point after the last one
        for (int k = image.length - 1; k >= 0; k--) {
            int weight = weights[image[k]];
            if (weight == 0) {
                continue;
            }
            double recall = (double) tp / total;
            double precision = outcome[k] == 0
                    ? (double) tp / (tp + (double) (fp - weight + 1) + EPS) // the first copy's
                    : (double) tp / (tp + (double) fp + EPS);
            threshold = assign(atThreshold, threshold, recall, recallAfter, bestAfter);
            best = Math.max(best, precision);
            bestAfter = best;
            recallAfter = recall;
            if (outcome[k] == 1) {
                tp -= weight;
            } else if (outcome[k] == 0) {
                fp -= weight;
            }
        }
        assign(atThreshold, threshold, -1, recallAfter, bestAfter);
        double sum = 0;
        for (double precision : atThreshold) {
            sum += precision;
        }
        return sum / RECALL_POINTS;
    }

    /**
     * Gives the thresholds from {@code threshold} down that lie above {@code recall} the interpolated precision
     * {@code bestAfter} of the point after, when they are at most its recall {@code recallAfter} (the first point
     * reaching them); returns the highest threshold not yet given.
     */
    private static int assign(double[] atThreshold, int threshold, double recall, double recallAfter,
            double bestAfter) {
        while (threshold >= 0 && recallThreshold(threshold) > recall) {
            if (recallThreshold(threshold) <= recallAfter) {
                atThreshold[threshold] = bestAfter;
            }
            threshold--;
        }
        return threshold;
    }

    private static double recallThreshold(int r) {
        return r == RECALL_POINTS - 1 ? 1.0 : r * 0.01;
    }
}
