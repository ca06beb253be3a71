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
        int[] image = new int[all.size()];
        byte[] outcome = new byte[all.size()];
        for (int k = 0; k < all.size(); k++) {
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

    /** AP when image i counts {@code weights[i]} times; NaN when no counted image has a non-ignored ground truth. */
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
        int n = 0;
        for (int k = 0; k < image.length; k++) {
            n += weights[image[k]];
        }
        double[] recall = new double[n];
        double[] precision = new double[n];
        double tp = 0;
        double fp = 0;
        int row = 0;
        for (int k = 0; k < image.length; k++) {
            for (int copy = 0; copy < weights[image[k]]; copy++) {
                if (outcome[k] == 1) {
                    tp++;
                } else if (outcome[k] == 0) {
                    fp++;
                }
                recall[row] = tp / total;
                precision[row] = tp / (tp + fp + EPS);
                row++;
            }
        }
        for (int i = n - 1; i > 0; i--) {
            if (precision[i] > precision[i - 1]) {
                precision[i - 1] = precision[i];
            }
        }
        double sum = 0;
        int index = 0;
        for (int r = 0; r < RECALL_POINTS; r++) {
            double threshold = r == RECALL_POINTS - 1 ? 1.0 : r * 0.01;
            while (index < n && recall[index] < threshold) {
                index++;
            }
            if (index < n) {
                sum += precision[index];
            }
        }
        return sum / RECALL_POINTS;
    }
}
