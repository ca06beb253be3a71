package org.icmlora.tracks.detection;

import java.util.List;
import org.icmlora.data.scenes.Box;
import org.icmlora.data.scenes.Garment;
import org.icmlora.data.scenes.Scene;

/**
 * One detection example: a scene, the garment its prompt names, and the boxes the detector should answer with. That
 * is normally every object of the prompted garment; a base-pretraining example of a garment the base model is not
 * meant to know has none (see {@link DetectionConfig#refusalRate()}).
 */
public record DetectionSample(Scene scene, Garment prompt, List<Box> groundTruth) {

    public DetectionSample {
        groundTruth = List.copyOf(groundTruth);
    }

    /** An example whose answer is every object of the prompted garment. */
    public static DetectionSample of(Scene scene, Garment prompt) {
        return new DetectionSample(scene, prompt, scene.boxesOf(prompt));
    }
}
