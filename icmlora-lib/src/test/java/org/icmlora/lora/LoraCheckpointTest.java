package org.icmlora.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.icmlora.engine.KitEngine;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.CorruptArtifactException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraCheckpointTest {

    static final LoraConfig CONFIG = LoraConfig.of(2, "blocks\\.\\d+\\.attn\\.(q|v)")
            .withScaling(LoraConfig.Scaling.RANK_STABILIZED).withInit(LoraConfig.Init.GAUSSIAN).withDropout(0.05f);
    static final LoraLayout LAYOUT = new LoraLayout(2, CONFIG.scale(), List.of(
            new LoraLayout.Layer("blocks.0.attn.q", 4, 4), new LoraLayout.Layer("blocks.0.attn.v", 4, 3),
            new LoraLayout.Layer("blocks.10.attn.q", 4, 4)));

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        KitEngine.init(1);
    }

    /** Random values plus the awkward ones: -0, the smallest subnormal, the largest finite float. */
    static float[] randomVector(LoraLayout layout, long seed) {
        Random random = new Random(seed);
        float[] vector = new float[layout.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) random.nextGaussian();
        }
        vector[0] = -0f;
        vector[1] = Float.MIN_VALUE;
        vector[2] = Float.MAX_VALUE;
        return vector;
    }

    /** The raw bit patterns of {@code values}, for bit-identical comparisons. */
    static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    @Test
    void saveThenLoadIsBitIdenticalFromEitherFile() throws IOException {
        float[] vector = randomVector(LAYOUT, 1);
        LoraCheckpoint.save(dir, "epoch-7", CONFIG, LAYOUT, vector, 7, Map.of("loss", 0.25, "ppl", Double.NaN));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("epoch-7.json", "epoch-7.safetensors"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no temporary files remain");
        }
        for (String file : List.of("epoch-7.safetensors", "epoch-7.json")) {
            LoraCheckpoint loaded = LoraCheckpoint.load(dir.resolve(file));
            assertArrayEquals(bits(vector), bits(loaded.vector()));
            assertEquals(CONFIG, loaded.config());
            assertEquals(LAYOUT, loaded.layout());
            assertEquals(7, loaded.epoch());
            assertEquals(Map.of("loss", 0.25, "ppl", Double.NaN), loaded.metrics(), "a diverged metric is kept as NaN");
        }
    }

    @Test
    void savingAgainReplacesTheCheckpointAndAMismatchedConfigIsRefused() {
        LoraCheckpoint.save(dir, "c", CONFIG, LAYOUT, randomVector(LAYOUT, 1), 1, Map.of());
        float[] newer = randomVector(LAYOUT, 2);
        LoraCheckpoint.save(dir, "c", CONFIG, LAYOUT, newer, 2, Map.of());
        LoraCheckpoint loaded = LoraCheckpoint.load(dir.resolve("c.json"));
        assertArrayEquals(bits(newer), bits(loaded.vector()));
        assertEquals(2, loaded.epoch());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoraCheckpoint.save(dir, "d",
                CONFIG.withScaling(LoraConfig.Scaling.STANDARD), LAYOUT, newer, 1, Map.of()));
        assertTrue(e.getMessage().startsWith("checkpoint d: config (rank 2, scale 2.0) differs from the layout (rank 2, "
                + "scale 2.828427)"), e.getMessage());
    }

    @Test
    void tensorFileHoldsNamedFactorsInLayoutShapes() throws IOException {
        float[] vector = randomVector(LAYOUT, 2);
        LoraCheckpoint.save(dir, "c", CONFIG, LAYOUT, vector, 0, Map.of());
        try (NDManager manager = KitEngine.newManager();
                InputStream in = Files.newInputStream(dir.resolve("c.safetensors"))) {
            NDList tensors = NDList.decode(manager, in);
            assertEquals(6, tensors.size());
            assertEquals(new Shape(2, 4), tensors.get("blocks.0.attn.v.lora_A").getShape());
            assertEquals(new Shape(3, 2), tensors.get("blocks.0.attn.v.lora_B").getShape());
            int b = LAYOUT.offsetOfB(1);
            assertArrayEquals(java.util.Arrays.copyOfRange(vector, b, b + 6),
                    tensors.get("blocks.0.attn.v.lora_B").toFloatArray(), 0f);
        }
    }

    @Test
    void truncatedTensorFileIsReportedByName() throws IOException {
        LoraCheckpoint.save(dir, "epoch-3", CONFIG, LAYOUT, randomVector(LAYOUT, 3), 3, Map.of());
        Path tensors = dir.resolve("epoch-3.safetensors");
        byte[] bytes = Files.readAllBytes(tensors);
        Files.write(tensors, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        CorruptArtifactException e = assertThrows(CorruptArtifactException.class,
                () -> LoraCheckpoint.load(dir.resolve("epoch-3.json")));
        assertEquals(tensors, e.file());
        assertTrue(e.getMessage().contains("epoch-3.safetensors: has " + (bytes.length - 5) + " bytes but "
                + bytes.length + " were written (truncated"), e.getMessage());
    }

    @Test
    void corruptedTensorFileIsReportedByName() throws IOException {
        LoraCheckpoint.save(dir, "epoch-3", CONFIG, LAYOUT, randomVector(LAYOUT, 3), 3, Map.of());
        Path tensors = dir.resolve("epoch-3.safetensors");
        byte[] bytes = Files.readAllBytes(tensors);
        bytes[bytes.length - 1] ^= 0x40;
        Files.write(tensors, bytes);
        CorruptArtifactException e = assertThrows(CorruptArtifactException.class,
                () -> LoraCheckpoint.load(tensors));
        assertTrue(e.getMessage().contains("epoch-3.safetensors: does not match the SHA-256 recorded in epoch-3.json"),
                e.getMessage());
    }

    @Test
    void missingOrUnreadableMetadataIsReportedByName() throws IOException {
        LoraCheckpoint.save(dir, "a", CONFIG, LAYOUT, randomVector(LAYOUT, 4), 1, Map.of());
        Files.delete(dir.resolve("a.json"));
        CorruptArtifactException missing = assertThrows(CorruptArtifactException.class,
                () -> LoraCheckpoint.load(dir.resolve("a.safetensors")));
        assertTrue(missing.getMessage().contains("a.json: is missing"), missing.getMessage());
        Files.writeString(dir.resolve("a.json"), "{\"format\": 1, \"tensorFile\": \"a.saf");
        CorruptArtifactException garbled = assertThrows(CorruptArtifactException.class,
                () -> LoraCheckpoint.load(dir.resolve("a.json")));
        assertTrue(garbled.getMessage().contains("a.json: cannot be read as checkpoint metadata"),
                garbled.getMessage());
    }

    @Test
    void nonFiniteValuesAreRefusedOnSaveAndOnLoad() throws IOException {
        float[] vector = randomVector(LAYOUT, 5);
        vector[9] = Float.POSITIVE_INFINITY;
        IllegalArgumentException onSave = assertThrows(IllegalArgumentException.class,
                () -> LoraCheckpoint.save(dir, "bad", CONFIG, LAYOUT, vector, 1, Map.of()));
        assertTrue(onSave.getMessage().contains("Infinity at index 9"), onSave.getMessage());
        assertTrue(!Files.exists(dir.resolve("bad.json")) && !Files.exists(dir.resolve("bad.safetensors")));

        LoraCheckpoint.save(dir, "good", CONFIG, LAYOUT, randomVector(LAYOUT, 5), 1, Map.of());
        replaceTensors("good", manager -> {
            float[] withNan = randomVector(LAYOUT, 5);
            withNan[LAYOUT.offsetOfA(2)] = Float.NaN;
            return LoraCheckpoint.toTensors(manager, LAYOUT, withNan);
        });
        IllegalArgumentException onLoad = assertThrows(IllegalArgumentException.class,
                () -> LoraCheckpoint.load(dir.resolve("good.json")));
        assertTrue(onLoad.getMessage().contains("good.safetensors: adapter vector holds NaN at index "
                + LAYOUT.offsetOfA(2) + " (blocks.10.attn.q lora_A[0,0])"), onLoad.getMessage());
    }

    @Test
    void tensorsOfAnotherLayoutAreRefused() throws IOException {
        LoraCheckpoint.save(dir, "x", CONFIG, LAYOUT, randomVector(LAYOUT, 6), 1, Map.of());
        replaceTensors("x", manager -> {
            NDList list = LoraCheckpoint.toTensors(manager, LAYOUT, randomVector(LAYOUT, 6));
            list.remove("blocks.0.attn.v.lora_B");
            return list;
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoraCheckpoint.load(dir.resolve("x.json")));
        assertTrue(e.getMessage().endsWith("x.safetensors has no tensor blocks.0.attn.v.lora_B; it was written for "
                + "another layout"), e.getMessage());
    }

    @Test
    void checkpointAppliesToAModelWithItsLayout() {
        try (NDManager manager = KitEngine.newManager()) {
            ai.djl.nn.SequentialBlock model = new ai.djl.nn.SequentialBlock()
                    .add(new LoraLinear("blocks.0.attn.q", 4, 4, true))
                    .add(new LoraLinear("blocks.0.attn.v", 4, 3, true))
                    .add(new LoraLinear("blocks.10.attn.q", 3, 4, true));
            model.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 4));
            LoraLayout layout = LoraAdapters.inject(model, CONFIG, manager);
            float[] vector = randomVector(layout, 8);
            LoraCheckpoint.save(dir, "m", CONFIG, layout, vector, 2, Map.of());
            LoraCheckpoint.load(dir.resolve("m.json")).applyTo(model);
            assertArrayEquals(vector, LoraAdapters.flatten(model, layout), 0f);
        }
    }

    /** Rewrites a checkpoint's tensor file and fixes its recorded size and checksum, as a buggy writer would. */
    private void replaceTensors(String name, java.util.function.Function<NDManager, NDList> tensors)
            throws IOException {
        Path file = dir.resolve(name + ".safetensors");
        try (NDManager manager = KitEngine.newManager(); OutputStream out = Files.newOutputStream(file)) {
            tensors.apply(manager).encode(out, NDList.Encoding.SAFETENSORS);
        }
        Path json = dir.resolve(name + ".json");
        JsonObject metadata = new Gson().fromJson(Files.readString(json), JsonObject.class);
        metadata.addProperty("bytes", Files.size(file));
        metadata.addProperty("sha256", AtomicFiles.sha256(file));
        Files.writeString(json, metadata.toString());
    }
}
