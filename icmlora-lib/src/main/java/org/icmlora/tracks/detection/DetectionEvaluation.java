package org.icmlora.tracks.detection;

import java.util.List;
import org.icmlora.data.scenes.Garment;
import org.icmlora.eval.DetectionScores;
import org.icmlora.eval.ScoredBox;

/**
 * The result of running one detector (base model, or base model plus an adapter) on a category's test scenes.
 *
 * @param category the prompted garment
 * @param scores   COCO AP50, AP75 and AP50:95 of that category
 * @param images   every test scene with the detections made on it, for drawing
 */
public record DetectionEvaluation(Garment category, DetectionScores scores, List<ImageResult> images) {

    /** One test scene, its prompt and ground truth, and the detections (best first, after NMS). */
    public record ImageResult(DetectionSample sample, List<ScoredBox> detections) {}

    /** mAP50 of the category. */
    public double map50() {
        return scores.ap50();
    }

    /** mAP75 of the category. */
    public double map75() {
        return scores.ap75();
    }
}
