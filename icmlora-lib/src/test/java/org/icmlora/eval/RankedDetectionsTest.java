package org.icmlora.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.icmlora.data.scenes.Box;
import org.junit.jupiter.api.Test;

/**
 * A resample's AP from one ranking with weights, bit for bit: equal to a plain expanded computation written here (every
 * copy of every detection a row of cumulative counts, the precision envelope, the 101-point walk, as pycocotools does
 * it), also where scores tie and detections are dropped for matching an ignored box; and, where no scores tie, equal
 * to COCO's AP of the resampled images themselves.
 */
class RankedDetectionsTest {

    private static List<ImageDetections> images(long seed, int count, ToDoubleFunction<Random> score) {
        Random random = new Random(seed);
        List<ImageDetections> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<GroundTruthBox> truth = new ArrayList<>();
            List<ScoredBox> detections = new ArrayList<>();
            int objects = random.nextInt(3);
            for (int o = 0; o < objects; o++) {
                double x = random.nextInt(40);
                double y = random.nextInt(40);
                Box box = new Box(x, y, x + 10, y + 10);
                truth.add(random.nextInt(5) == 0 ? GroundTruthBox.ignored(box) : GroundTruthBox.of(box));
                double jitter = random.nextInt(5);
                detections.add(new ScoredBox(new Box(x + jitter, y, x + 10 + jitter, y + 10),
                        score.applyAsDouble(random)));
            }
            for (int f = random.nextInt(3); f > 0; f--) {
                double x = random.nextInt(40);
                detections.add(new ScoredBox(new Box(x, 50, x + 8, 58), score.applyAsDouble(random)));
            }
            images.add(new ImageDetections(detections, truth));
        }
        return images;
    }

    /** A random resample of {@code n} images: how often each is drawn. */
    private static int[] draw(Random random, int n) {
        int[] weights = new int[n];
        for (int i = 0; i < n; i++) {
            weights[random.nextInt(n)]++;
        }
        return weights;
    }

    /** AP with image i counted {@code weights[i]} times: one row per copy of every ranked detection. */
    private static double expandedAveragePrecision(List<ImageDetections> images, int[] weights, double iou) {
        List<double[]> ranked = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < images.size(); i++) {
            total += weights[i] * images.get(i).groundTruth().stream().filter(g -> !g.isIgnored()).count();
            List<double[]> matched = new ArrayList<>();
            CocoAveragePrecision.matchImage(images.get(i), iou, matched);
            for (double[] m : matched) {
                ranked.add(new double[] {m[0], m[1], i});
            }
        }
        if (total == 0) {
            return Double.NaN;
        }
        ranked.sort(Comparator.comparingDouble((double[] d) -> -d[0])); // stable: image order breaks ties
        List<Double> recall = new ArrayList<>();
        List<Double> precision = new ArrayList<>();
        double tp = 0;
        double fp = 0;
        for (double[] row : ranked) {
            for (int copy = 0; copy < weights[(int) row[2]]; copy++) {
                tp += row[1] == 1 ? 1 : 0;
                fp += row[1] == 0 ? 1 : 0;
                recall.add(tp / total);
                precision.add(tp / (tp + fp + Math.ulp(1.0)));
            }
        }
        int n = recall.size();
        for (int k = n - 1; k > 0; k--) {
            precision.set(k - 1, Math.max(precision.get(k - 1), precision.get(k)));
        }
        double sum = 0;
        int index = 0;
        for (int r = 0; r <= 100; r++) {
            double threshold = r == 100 ? 1.0 : r * 0.01;
            while (index < n && recall.get(index) < threshold) {
                index++;
            }
            sum += index < n ? precision.get(index) : 0;
        }
        return sum / 101;
    }

    @Test
    void weightsGiveTheExpandedComputationExactlyWithTiesAndDroppedDetections() {
        Random random = new Random(9);
        for (long seed = 0; seed < 20; seed++) {
            List<ImageDetections> images = images(seed, 30, r -> r.nextInt(8) / 8.0); // scores tie across images
            for (double iou : new double[] {0.5, 0.75}) {
                RankedDetections ranked = RankedDetections.of(images, iou);
                int[] once = new int[images.size()];
                Arrays.fill(once, 1);
                assertEquals(expandedAveragePrecision(images, once, iou), ranked.averagePrecision(), 0);
                for (int trial = 0; trial < 20; trial++) {
                    int[] weights = draw(random, images.size());
                    assertEquals(expandedAveragePrecision(images, weights, iou), ranked.averagePrecision(weights), 0,
                            "seed " + seed + ", trial " + trial);
                }
            }
        }
    }

    @Test
    void withoutTiesWeightsEqualDuplicatedImages() {
        List<ImageDetections> images = images(3, 40, Random::nextDouble);
        Random random = new Random(9);
        for (double iou : new double[] {0.5, 0.75}) {
            RankedDetections ranked = RankedDetections.of(images, iou);
            assertEquals(CocoAveragePrecision.averagePrecision(images, iou), ranked.averagePrecision(), 0);
            for (int trial = 0; trial < 20; trial++) {
                int[] weights = draw(random, images.size());
                List<ImageDetections> resample = new ArrayList<>();
                for (int i = 0; i < images.size(); i++) {
                    for (int copy = 0; copy < weights[i]; copy++) {
                        resample.add(images.get(i));
                    }
                }
                assertEquals(CocoAveragePrecision.averagePrecision(resample, iou), ranked.averagePrecision(weights), 0,
                        "trial " + trial);
            }
        }
    }
}
