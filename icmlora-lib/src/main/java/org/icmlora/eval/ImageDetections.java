package org.icmlora.eval;

import java.util.List;

/** The detections of one category in one image and that image's ground truth for the category. */
public record ImageDetections(List<ScoredBox> detections, List<GroundTruthBox> groundTruth) {

    public ImageDetections {
        detections = List.copyOf(detections);
        groundTruth = List.copyOf(groundTruth);
    }
}
