package org.icmlora.tracks.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.icmlora.config.Profiles;
import org.icmlora.engine.KitEngine;
import org.icmlora.lora.Adapter;
import org.icmlora.lora.AdapterSeries;
import org.icmlora.lora.LoraSettings;
import org.icmlora.store.ArtifactStore;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.Evaluation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole track at smoke size on synthetic shapes: stages, caching, evaluation, task vectors, drawing. */
class DetectionTrackTest {

    private static DetectionTrack track(Path store, long seed) {
        DetectionConfig config = Profiles.bind("smoke", "detection", DetectionConfig.class);
        LoraSettings lora = Profiles.bind("smoke", "lora", LoraSettings.class);
        return new DetectionTrack(config, lora, 7, seed, new ArtifactStore(store), SyntheticTrack.scenes(config, 7,
                seed), SyntheticTrack.randomPrompts(config.detector().promptDim()));
    }

    @Test
    void stagesRunOnceAndFeedEvaluationAndTaskVectors(@TempDir Path dir) throws Exception {
        KitEngine.init(1);
        DetectionTrack track = track(dir, 2024);
        DetectionConfig config = track.config();

        Path base = track.baseModel();
        assertTrue(Files.isRegularFile(base.resolve("detector.params")));
        long written = Files.getLastModifiedTime(base.resolve("detector.params")).toMillis();
        assertEquals(base, track.baseModel());
        assertEquals(written, Files.getLastModifiedTime(base.resolve("detector.params")).toMillis());

        AdapterSeries series = track.adapters("dress", 2);
        assertEquals(List.of(2, 3), series.epochs()); // last K = 2 of N = 3 epochs
        Adapter last = series.last();
        assertEquals(track.layout(2), last.layout());
        assertEquals(track.adapterConfig(2), last.config());
        assertEquals(2 * track.layout(1).size(), track.layout(2).size());

        DetectionEvaluation baseEval = track.evaluate("dress", Optional.empty());
        DetectionEvaluation tuned = track.evaluate("dress", Optional.of(last));
        assertEquals(config.testScenes(), tuned.items());
        assertNotEquals(baseEval.images().get(0).detections(), tuned.images().get(0).detections());
        DetectionEvaluation reread = DetectionEvaluation.fromJson(tuned.toJson());
        assertEquals(tuned.metrics(), reread.metrics(), "an evaluation read back gives the same metrics");
        int[] twiceTheFirst = {0, 0, 1};
        assertEquals(tuned.metrics(twiceTheFirst), reread.metrics(twiceTheFirst));

        float[][] samples = track.taskVectors().samples("dress", ConditionKind.FINE_TUNED_STATES);
        assertEquals(config.taskVectorScenes(), samples.length);
        assertEquals(config.detector().dim(), samples[0].length);
        float[] mean = track.taskVectors().of("dress", ConditionKind.FINE_TUNED_STATES);
        float expected0 = 0;
        for (float[] s : samples) {
            expected0 += s[0] / samples.length;
        }
        assertEquals(expected0, mean[0], 1e-6);
        assertFalse(java.util.Arrays.equals(mean, track.taskVectors().of("dress", ConditionKind.BASE_STATES)),
                "the fine-tuned model's states differ from the base model's");

        BufferedImage picture = track.draw(tuned, tuned.images().get(0), "dress");
        assertEquals(config.scenes().size() * 4, picture.getWidth());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> track.adapters("umbrella", 2));
        assertTrue(unknown.getMessage().contains("no detection task 'umbrella'; the tasks are"), unknown.getMessage());
    }

    @Test
    void everyTaskStartsFromTheSameAdapterInitialisation(@TempDir Path dir) {
        KitEngine.init(1);
        DetectionTrack track = track(dir, 5);
        // epoch 1 of two tasks: A moved from the same start in both; with a shared start, A differs little
        float[] dress = track.adapters("dress", 1).load(2).adapter().values();
        float[] sneaker = track.adapters("sneaker", 1).load(2).adapter().values();
        DetectionTrack otherSeed = track(dir, 6);
        float[] dressOtherSeed = otherSeed.adapters("dress", 1).load(2).adapter().values();
        int aEnd = track.layout(1).offsetOfB(0);
        assertTrue(distance(dress, sneaker, aEnd) < distance(dress, dressOtherSeed, aEnd),
                "the first layer's A of two tasks, one seed, should be closer than one task's A under two seeds");
    }

    private static double distance(float[] a, float[] b, int length) {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }
    @Test
    void adaptersEvaluatedTogetherScoreExactlyAsOneByOne(@TempDir Path dir) {
        KitEngine.init(1);
        DetectionTrack track = track(dir, 2024);
        List<Adapter> series = track.adapters("dress", 2).adapters();
        float[] louder = series.get(1).values().clone();
        for (int i = 0; i < louder.length; i++) {
            louder[i] *= 3;
        }
        List<Optional<Adapter>> adapters = List.of(Optional.of(series.get(0)), Optional.empty(),
                Optional.of(series.get(1)), Optional.of(series.get(1).withValues(louder)),
                Optional.of(track.adapters("sandal", 2).last()));

        List<Evaluation> together = track.evaluateAll("dress", adapters);

        assertEquals(adapters.size(), together.size());
        for (int i = 0; i < adapters.size(); i++) {
            assertEquals(track.evaluate("dress", adapters.get(i)).toJson(), together.get(i).toJson(),
                    "adapter " + i + ": every detection and score, bit for bit");
        }
        assertNotEquals(together.get(0).toJson(), together.get(3).toJson());
    }
}
