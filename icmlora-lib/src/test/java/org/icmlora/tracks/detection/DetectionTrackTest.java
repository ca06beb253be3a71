package org.icmlora.tracks.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.icmlora.data.scenes.Garment;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.Profile;
import org.icmlora.lora.CheckpointSeries;
import org.icmlora.lora.LoraCheckpoint;
import org.icmlora.store.ArtifactStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole track at smoke size on synthetic shapes: stages, caching, evaluation, task vectors, drawing. */
class DetectionTrackTest {

    @Test
    void stagesRunOnceAndFeedEvaluationAndTaskVectors(@TempDir Path dir) throws Exception {
        KitEngine.init(1);
        DetectionConfig config = DetectionConfig.forProfile(Profile.SMOKE);
        DetectionTrack track = new DetectionTrack(config, new ArtifactStore(dir), SyntheticTrack.scenes(config),
                SyntheticTrack.randomPrompts(config.detector().promptDim()));

        Path base = track.baseModel();
        assertTrue(Files.isRegularFile(base.resolve("detector.params")));
        long written = Files.getLastModifiedTime(base.resolve("detector.params")).toMillis();
        assertEquals(base, track.baseModel());
        assertEquals(written, Files.getLastModifiedTime(base.resolve("detector.params")).toMillis());

        CheckpointSeries series = track.adapterSeries(Garment.DRESS, 2);
        assertEquals(List.of(2, 3), series.epochs()); // last K = 2 of N = 3 epochs
        LoraCheckpoint last = series.load(3);
        assertEquals(track.layout(2), last.layout());
        assertEquals(2 * track.layout(1).size(), track.layout(2).size());

        DetectionEvaluation baseEval = track.evaluateBase(Garment.DRESS);
        DetectionEvaluation tuned = track.evaluate(Garment.DRESS, last.layout(), last.vector());
        assertEquals(config.testScenes(), tuned.images().size());
        assertTrue(tuned.map50() >= 0 && tuned.map50() <= 1);
        assertNotEquals(baseEval.images().get(0).detections(), tuned.images().get(0).detections());
        assertThrows(IllegalArgumentException.class, () -> track.evaluate(Garment.DRESS, last.layout(), null));

        float[][] samples = track.visionSampleVectors(Garment.DRESS);
        assertEquals(config.taskVectorScenes(), samples.length);
        assertEquals(config.detector().dim(), samples[0].length);
        float[] mean = track.visionTaskVector(Garment.DRESS);
        float expected0 = 0;
        for (float[] s : samples) {
            expected0 += s[0] / samples.length;
        }
        assertEquals(expected0, mean[0], 1e-6);
        assertArrayEquals(SyntheticTrack.randomPrompts(config.detector().promptDim()).of(Garment.DRESS),
                track.textTaskVector(Garment.DRESS));

        BufferedImage picture = DetectionTrack.drawDetections(tuned.images().get(0), "dress");
        assertEquals(config.scenes().size() * 4, picture.getWidth());
        assertThrows(IllegalArgumentException.class, () -> track.adapterSeries(Garment.COAT, 2));
    }
}
