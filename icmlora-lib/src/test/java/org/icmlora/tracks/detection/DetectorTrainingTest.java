package org.icmlora.tracks.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.Profile;
import org.icmlora.lora.LoraAdapters;
import org.icmlora.models.detector.PromptDetector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training run killed during an epoch and resumed ends with exactly the weights of an uninterrupted run. */
class DetectorTrainingTest {

    private static final DetectionConfig CONFIG = DetectionConfig.forProfile(Profile.SMOKE);

    private static float[] train(Path work, boolean crashInSecondEpoch, boolean lora, List<Integer> epochsSeen)
            throws IOException {
        DetectionScenes scenes = SyntheticTrack.scenes(CONFIG);
        PromptEmbeddings prompts = SyntheticTrack.randomPrompts(CONFIG.detector().promptDim());
        TrainingSettings settings = new TrainingSettings(24, 3, 8, 3e-3f, 1e-4f);
        try (NDManager manager = KitEngine.newManager()) {
            KitEngine.seed(5);
            PromptDetector detector = new PromptDetector(CONFIG.detector());
            detector.initialize(manager);
            if (lora) {
                detector.freezeNormalization(true);
                LoraAdapters.inject(detector, CONFIG.loraConfig(2), manager);
            }
            DetectorTraining.run("test", detector, scenes::baseSample, settings, 9, prompts, manager, work,
                    (epoch, loss) -> {
                        epochsSeen.add(epoch);
                        if (crashInSecondEpoch && epoch == 2) {
                            throw new IOException("simulated crash");
                        }
                    });
            List<Float> values = new ArrayList<>();
            detector.getParameters().forEach(p -> {
                for (float v : p.getValue().getArray().toFloatArray()) {
                    values.add(v);
                }
            });
            float[] all = new float[values.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = values.get(i);
            }
            return all;
        }
    }

    /**
     * Bit-identical with one intra-op thread. PyTorch's multi-threaded CPU kernels do not fix their summation order,
     * so with more threads (set by whichever test started the engine first) two runs agree only to rounding.
     */
    private static float tolerance() {
        return KitEngine.threads() == 1 ? 0f : 1e-3f;
    }

    @Test
    void resumedBaseTrainingEqualsUninterrupted(@TempDir Path dir) throws IOException {
        KitEngine.device();
        List<Integer> straight = new ArrayList<>();
        float[] uninterrupted = train(dir.resolve("a"), false, false, straight);
        List<Integer> first = new ArrayList<>();
        assertThrows(IOException.class, () -> train(dir.resolve("b"), true, false, first));
        List<Integer> second = new ArrayList<>();
        float[] resumed = train(dir.resolve("b"), false, false, second);
        assertEquals(List.of(1, 2, 3), straight);
        assertEquals(List.of(1, 2), first); // killed before epoch 2's checkpoint was written
        assertEquals(List.of(2, 3), second); // resumed from epoch 1's checkpoint
        assertArrayEquals(uninterrupted, resumed, tolerance());
    }

    @Test
    void resumedLoraTrainingEqualsUninterrupted(@TempDir Path dir) throws IOException {
        KitEngine.device();
        // The first training in a JVM can differ from later ones in the last bits (PyTorch picks its CPU kernels on
        // first use), so a warm-up run goes first when this test happens to be the JVM's first training.
        train(dir.resolve("warm-up"), false, true, new ArrayList<>());
        float[] uninterrupted = train(dir.resolve("a"), false, true, new ArrayList<>());
        assertThrows(IOException.class, () -> train(dir.resolve("b"), true, true, new ArrayList<>()));
        assertArrayEquals(uninterrupted, train(dir.resolve("b"), false, true, new ArrayList<>()), tolerance());
    }
}
