package org.icmlora.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCheckpointsTest {

    @Test
    void newestCheckpointIsChosenByEpochNumberNotByName(@TempDir Path dir) throws Exception {
        // by name, "x-epoch-100" sorts before "x-epoch-20" and "x-epoch-9"
        for (int epoch : new int[] {9, 100, 20}) {
            Files.writeString(dir.resolve("x-epoch-" + epoch + ".json"), "{}");
        }
        Files.writeString(dir.resolve("x-epoch-500.safetensors"), "half-written: no json, so not a checkpoint");
        TrainingCheckpoints checkpoints = new TrainingCheckpoints(dir, "x");
        assertEquals(List.of(9, 20, 100), checkpoints.epochs());
    }

    @Test
    void savesReadsBackAndKeepsOnlyTheNewest(@TempDir Path dir) {
        TrainingCheckpoints checkpoints = new TrainingCheckpoints(dir, "cvae");
        try (NDManager manager = KitEngine.newManager()) {
            for (int epoch : new int[] {2, 10}) {
                NDArray a = manager.create(new float[] {epoch, 1});
                a.setName("model.w");
                checkpoints.save(epoch, epoch * 3, "fp", new NDList(a));
            }
            assertEquals(List.of(10), checkpoints.epochs());
            TrainingCheckpoints.Checkpoint latest = checkpoints.latest("fp", manager).orElseThrow();
            assertEquals(10, latest.epoch());
            assertEquals(30, latest.optimizerSteps());
            assertEquals(10f, latest.tensors().get("model.w").getFloat(0));
        }
    }
}
