package org.icmlora.tracks.detection;

import java.util.List;
import org.icmlora.data.scenes.Box;
import org.icmlora.data.scenes.Garment;
import org.icmlora.data.scenes.Scene;

/** One detection example: a scene and the garment its prompt names; the ground truth is that garment's boxes. */
public record DetectionSample(Scene scene, Garment prompt) {

    /** The boxes the detector should find. */
    public List<Box> groundTruth() {
        return scene.boxesOf(prompt);
    }
}
