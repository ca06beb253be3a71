package org.icmlora.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.icmlora.data.scenes.Box;
import org.junit.jupiter.api.Test;

/** Hand-computed cases of the pycocotools definition (see the class comment of {@link CocoAveragePrecision}). */
class CocoAveragePrecisionTest {

    private static final double TOL = 1e-12;
    private static final Box A = new Box(0, 0, 10, 10);
    private static final Box B = new Box(20, 20, 30, 30);
    private static final Box FAR = new Box(40, 40, 50, 50);

    private static ScoredBox det(Box box, double score) {
        return new ScoredBox(box, score);
    }

    private static ImageDetections image(List<ScoredBox> detections, GroundTruthBox... truth) {
        return new ImageDetections(detections, List.of(truth));
    }

    @Test
    void perfectDetectionsScoreOneAtEveryThreshold() {
        List<ImageDetections> images = List.of(
                image(List.of(det(A, 0.9)), GroundTruthBox.of(A)),
                image(List.of(det(B, 0.8)), GroundTruthBox.of(B)));
        DetectionScores scores = CocoAveragePrecision.evaluate(images);
        assertEquals(1.0, scores.ap50(), TOL);
        assertEquals(1.0, scores.ap75(), TOL);
        assertEquals(1.0, scores.ap5095(), TOL);
    }

    @Test
    void falsePositiveRankedAboveTheTruePositiveHalvesTheAp() {
        // FP first: precision 0 then 0.5 at recall 1; the envelope makes every recall point 0.5.
        assertEquals(0.5, CocoAveragePrecision.averagePrecision(
                List.of(image(List.of(det(FAR, 0.9), det(A, 0.8)), GroundTruthBox.of(A))), 0.5), TOL);
        // The same false positive ranked below costs nothing: recall 1 is reached at precision 1.
        assertEquals(1.0, CocoAveragePrecision.averagePrecision(
                List.of(image(List.of(det(FAR, 0.7), det(A, 0.8)), GroundTruthBox.of(A))), 0.5), TOL);
    }

    @Test
    void aDuplicateIsAFalsePositiveAndTheHigherScoreMatchesFirst() {
        Box loose = new Box(0, 0, 10, 8); // IoU 0.8 with A
        List<ImageDetections> images = List.of(image(List.of(det(loose, 0.9), det(A, 0.8)), GroundTruthBox.of(A)));
        // IoU 0.5: the loose box takes A, the exact one is a duplicate ranked below: AP 1.
        assertEquals(1.0, CocoAveragePrecision.averagePrecision(images, 0.5), TOL);
        // IoU 0.85: the loose box misses, the exact one matches second: FP above TP, AP 0.5.
        assertEquals(0.5, CocoAveragePrecision.averagePrecision(images, 0.85), TOL);
    }

    @Test
    void missedObjectsCapRecall() {
        List<ImageDetections> images = List.of(
                image(List.of(det(A, 0.9)), GroundTruthBox.of(A)),
                image(List.of(), GroundTruthBox.of(B)));
        // Recall 0.5 at precision 1: recall points 0.00..0.50 (51 of 101) get 1.
        assertEquals(51.0 / 101, CocoAveragePrecision.averagePrecision(images, 0.5), TOL);
    }

    @Test
    void detectionsInImagesWithoutObjectsAreFalsePositives() {
        List<ImageDetections> images = List.of(
                image(List.of(det(A, 0.8)), GroundTruthBox.of(A)),
                image(List.of(det(A, 0.9))),
                image(List.of()));
        assertEquals(0.5, CocoAveragePrecision.averagePrecision(images, 0.5), TOL);
    }

    @Test
    void noGroundTruthMeansNoAp() {
        assertTrue(Double.isNaN(CocoAveragePrecision.averagePrecision(List.of(image(List.of(det(A, 0.9)))), 0.5)));
        assertEquals(0.5, CocoAveragePrecision.meanOverCategories(List.of(1.0, Double.NaN, 0.0)), TOL);
    }

    @Test
    void crowdRegionsAbsorbAnyNumberOfDetections() {
        Box crowd = new Box(20, 20, 60, 60);
        List<ImageDetections> images = List.of(image(
                List.of(det(new Box(22, 22, 30, 30), 0.95), det(new Box(40, 40, 50, 50), 0.9), det(A, 0.8)),
                GroundTruthBox.of(A), GroundTruthBox.crowd(crowd)));
        // Both detections inside the crowd overlap it fully (intersection / detection area = 1) and are dropped.
        assertEquals(1.0, CocoAveragePrecision.averagePrecision(images, 0.5), TOL);
    }

    @Test
    void anIgnoredBoxAbsorbsOneDetectionAndTheDuplicateIsAFalsePositive() {
        List<ImageDetections> images = List.of(image(List.of(det(B, 0.95), det(B, 0.9), det(A, 0.8)),
                GroundTruthBox.of(A), GroundTruthBox.ignored(B)));
        // Ranking: dropped, FP, TP -> precision 0, 0, 0.5 at recall 0, 0, 1 -> envelope 0.5 everywhere.
        assertEquals(0.5, CocoAveragePrecision.averagePrecision(images, 0.5), TOL);
    }

    @Test
    void anOrdinaryBoxIsPreferredToABetterOverlappingIgnoredOne() {
        Box nearA = new Box(0, 0, 10, 7); // IoU 0.7 with A, 1.0 with the ignored copy below
        List<ImageDetections> images = List.of(image(List.of(det(nearA, 0.9)),
                GroundTruthBox.of(A), GroundTruthBox.ignored(nearA)));
        assertEquals(1.0, CocoAveragePrecision.averagePrecision(images, 0.5), TOL);
    }

    @Test
    void precisionEnvelopeSampledAt101RecallPoints() {
        // 4 objects; ranking TP, FP, TP, FP, TP; one object never found.
        // recall .25 .25 .5 .5 .75, precision 1 .5 .667 .5 .6 -> envelope 1 .667 .667 .6 .6
        // points 0.00-0.25: 1 (26), 0.26-0.50: 2/3 (25), 0.51-0.75: 0.6 (25), 0.76-1.00: 0 (25).
        Box c = new Box(0, 20, 10, 30);
        Box d = new Box(20, 0, 30, 10);
        List<ImageDetections> images = List.of(image(
                List.of(det(A, 0.9), det(FAR, 0.8), det(B, 0.7), det(new Box(60, 60, 70, 70), 0.6), det(c, 0.5)),
                GroundTruthBox.of(A), GroundTruthBox.of(B), GroundTruthBox.of(c), GroundTruthBox.of(d)));
        assertEquals((26 + 25 * (2.0 / 3) + 25 * 0.6) / 101, CocoAveragePrecision.averagePrecision(images, 0.5), 1e-9);
    }

    @Test
    void onlyTheHundredBestDetectionsPerImageCount() {
        List<ScoredBox> detections = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            detections.add(det(FAR, 0.9)); // 100 false positives ranked first
        }
        detections.add(det(A, 0.1)); // the true positive is the 101st and is cut
        assertEquals(0.0, CocoAveragePrecision.averagePrecision(List.of(image(detections, GroundTruthBox.of(A))), 0.5),
                TOL);
    }

    @Test
    void ap5095AveragesTenThresholds() {
        Box loose = new Box(0, 0, 10, 8); // IoU 0.8: a hit at 0.50..0.80 (7 thresholds), a miss at 0.85..0.95
        DetectionScores scores = CocoAveragePrecision.evaluate(
                List.of(image(List.of(det(loose, 0.9)), GroundTruthBox.of(A))));
        assertEquals(1.0, scores.ap75(), TOL);
        assertEquals(0.7, scores.ap5095(), TOL);
        assertEquals(0.9, CocoAveragePrecision.iouThreshold(8), 1e-15);
    }
}
