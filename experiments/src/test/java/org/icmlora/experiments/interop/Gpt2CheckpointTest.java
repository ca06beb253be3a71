package org.icmlora.experiments.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.icmlora.engine.KitEngine;
import org.icmlora.models.gpt.Gpt;
import org.icmlora.models.gpt.GptConfig;
import org.icmlora.models.gpt.GptWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A GPT written as a GPT-2 checkpoint reads back through the kit's GPT-2 loader weight for weight. */
class Gpt2CheckpointTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsThroughTheGpt2Loader() throws Exception {
        KitEngine.init(1);
        GptConfig config = new GptConfig(40, 12, 16, 2, 4, true);
        try (NDManager manager = KitEngine.newManager()) {
            KitEngine.seed(7);
            Gpt original = new Gpt(config);
            original.initialize(manager);
            original.namedWeights().forEach((name, p) -> p.getArray().set(
                    manager.randomNormal(p.getArray().getShape()).toFloatArray())); // biases and norms too
            Gpt2Checkpoint.write(original, dir);

            Gpt loaded = new Gpt(config);
            loaded.initialize(manager);
            GptWeights.loadGpt2Style(loaded, dir.resolve(Gpt2Checkpoint.WEIGHTS_FILE));
            original.namedWeights().forEach((name, p) -> assertArrayEquals(p.getArray().toFloatArray(),
                    loaded.namedWeights().get(name).getArray().toFloatArray(), name));
        }
        String json = Files.readString(dir.resolve(Gpt2Checkpoint.CONFIG_FILE));
        assertTrue(json.contains("\"activation_function\": \"gelu\""), json);
        assertTrue(json.contains("\"n_layer\": 2") && json.contains("\"n_embd\": 16"), json);
        assertEquals(true, json.contains("\"tie_word_embeddings\": true"), json);
    }
}
