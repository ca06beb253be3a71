package org.icmlora.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.icmlora.engine.KitEngine;
import org.icmlora.store.IoConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCheckpointsTest {

    @TempDir
    Path dir;

    @Test
    void newestCheckpointIsChosenByEpochNumberNotByName() throws IOException {
        // by name, "x-epoch-100" sorts before "x-epoch-20" and "x-epoch-9"
        for (int epoch : new int[] {9, 100, 20}) {
            Files.writeString(dir.resolve("x-epoch-" + epoch + ".json"), "{}");
        }
        Files.writeString(dir.resolve("x-epoch-500.safetensors"), "half-written: no json, so not a checkpoint");
        TrainingCheckpoints checkpoints = new TrainingCheckpoints(dir, "x");
        assertEquals(List.of(9, 20, 100), checkpoints.epochs());
    }

    @Test
    void savesReadsBackAndKeepsTheTwoNewest() {
        TrainingCheckpoints checkpoints = new TrainingCheckpoints(dir, "cvae");
        try (NDManager manager = KitEngine.newManager()) {
            saveEpochs(checkpoints, manager, 2, 10, 12);
            assertEquals(List.of(10, 12), checkpoints.epochs());
            TrainingCheckpoints.Checkpoint latest = checkpoints.latest("fp", manager).orElseThrow();
            assertEquals(12, latest.epoch());
            assertEquals(36, latest.optimizerSteps());
            assertEquals(12f, latest.tensors().get("model.w").getFloat(0));
        }
    }

    /** Each kind of damage to the newest checkpoint: it is deleted and training resumes from the one before. */
    @Test
    void aDamagedNewestCheckpointIsDiscardedForThePreviousOne() throws IOException {
        Path weights = dir.resolve("cvae-epoch-4.safetensors");
        Path json = dir.resolve("cvae-epoch-4.json");
        List<IoConsumer<Path>> damages = List.of(
                file -> flipByte(weights, 100),
                file -> Files.write(weights, Arrays.copyOf(Files.readAllBytes(weights), 10)),
                file -> Files.delete(weights),
                file -> Files.writeString(json, "{\"epoch\": 4"),
                file -> Files.writeString(json, ""),
                file -> Files.writeString(json, Files.readString(json).replace("\"optimizerSteps\":12",
                        "\"optimizerSteps\":11")));
        for (IoConsumer<Path> damage : damages) {
            TrainingCheckpoints checkpoints = new TrainingCheckpoints(dir, "cvae");
            try (NDManager manager = KitEngine.newManager()) {
                saveEpochs(checkpoints, manager, 3, 4);
                damage.accept(weights);
                Optional<TrainingCheckpoints.Checkpoint> latest = checkpoints.latest("fp", manager);
                assertEquals(3, latest.orElseThrow().epoch(), "falls back to the previous checkpoint");
                assertEquals(3f, latest.get().tensors().get("model.w").getFloat(0));
                assertEquals(List.of(3), checkpoints.epochs(), "the damaged one is deleted");
                assertFalse(Files.exists(weights));
                checkpoints.save(5, 15, "fp", new NDList()); // drops epoch 3: the directory is clean again
                Files.delete(dir.resolve("cvae-epoch-5.json"));
                Files.delete(dir.resolve("cvae-epoch-5.safetensors"));
            }
        }
    }

    @Test
    void withEveryCheckpointDamagedTrainingStartsFromScratch() throws IOException {
        TrainingCheckpoints checkpoints = new TrainingCheckpoints(dir, "cvae");
        try (NDManager manager = KitEngine.newManager()) {
            saveEpochs(checkpoints, manager, 3, 4);
            flipByte(dir.resolve("cvae-epoch-3.safetensors"), 90);
            flipByte(dir.resolve("cvae-epoch-4.safetensors"), 90);
            assertTrue(checkpoints.latest("fp", manager).isEmpty());
            assertEquals(List.of(), checkpoints.epochs());
        }
    }

    @Test
    void anIntactCheckpointOfAnotherTrainingIsRefused() {
        TrainingCheckpoints checkpoints = new TrainingCheckpoints(dir, "cvae");
        try (NDManager manager = KitEngine.newManager()) {
            saveEpochs(checkpoints, manager, 3);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> checkpoints.latest("other fingerprint", manager));
            assertTrue(e.getMessage().contains("belongs to another configuration or training set"), e.getMessage());
        }
    }

    private static void saveEpochs(TrainingCheckpoints checkpoints, NDManager manager, int... epochs) {
        for (int epoch : epochs) {
            NDArray a = manager.create(new float[] {epoch, 1});
            a.setName("model.w");
            checkpoints.save(epoch, epoch * 3, "fp", new NDList(a));
        }
    }

    private static void flipByte(Path file, int position) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[Math.min(position, bytes.length - 1)] ^= 0x01;
        Files.write(file, bytes);
    }
}
