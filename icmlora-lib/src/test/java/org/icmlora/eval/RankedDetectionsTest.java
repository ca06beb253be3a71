package org.icmlora.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.icmlora.data.scenes.Box;
import org.junit.jupiter.api.Test;

/** A resample's AP from one ranking with weights equals COCO's AP of the resampled images themselves. */
class RankedDetectionsTest {

    private static List<ImageDetections> images(long seed, int count) {
        Random random = new Random(seed);
        List<ImageDetections> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<GroundTruthBox> truth = new ArrayList<>();
            List<ScoredBox> detections = new ArrayList<>();
            int objects = random.nextInt(3);
            for (int o = 0; o < objects; o++) {
                double x = random.nextInt(40);
                double y = random.nextInt(40);
                truth.add(GroundTruthBox.of(new Box(x, y, x + 10, y + 10)));
                double jitter = random.nextInt(5);
                detections.add(new ScoredBox(new Box(x + jitter, y, x + 10 + jitter, y + 10), random.nextDouble()));
            }
            for (int f = random.nextInt(3); f > 0; f--) {
                double x = random.nextInt(40);
                detections.add(new ScoredBox(new Box(x, 50, x + 8, 58), random.nextDouble()));
            }
            images.add(new ImageDetections(detections, truth));
        }
        return images;
    }

    @Test
    void weightsEqualDuplicatedImages() {
        List<ImageDetections> images = images(3, 40);
        Random random = new Random(9);
        for (double iou : new double[] {0.5, 0.75}) {
            RankedDetections ranked = RankedDetections.of(images, iou);
            assertEquals(CocoAveragePrecision.averagePrecision(images, iou), ranked.averagePrecision(), 0);
            for (int trial = 0; trial < 20; trial++) {
                int[] weights = new int[images.size()];
                List<ImageDetections> resample = new ArrayList<>();
                for (int i = 0; i < images.size(); i++) {
                    weights[random.nextInt(images.size())]++;
                }
                for (int i = 0; i < images.size(); i++) {
                    for (int copy = 0; copy < weights[i]; copy++) {
                        resample.add(images.get(i));
                    }
                }
                assertEquals(CocoAveragePrecision.averagePrecision(resample, iou), ranked.averagePrecision(weights),
                        1e-12, "trial " + trial);
            }
        }
    }
}
