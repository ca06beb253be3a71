package org.icmlora.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.icmlora.engine.KitEngine;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.CorruptArtifactException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An adapter on disk: PEFT's directory plus the kit's sidecar, read back bit for bit, damage named. */
class AdapterFilesTest {

    static final LoraConfig CONFIG = LoraConfig.of(2, "blocks\\.\\d+\\.attn\\.(q|o)", "blocks\\.\\d+\\.mlp\\..*",
            "head").withAlpha(16).withScaling(LoraConfig.Scaling.RANK_STABILIZED).withInit(LoraConfig.Init.GAUSSIAN)
            .withDropout(0.1f);
    static final LoraLayout LAYOUT = new LoraLayout(2, CONFIG.scale(), List.of(
            new LoraLayout.Layer("blocks.0.attn.q", 4, 4), new LoraLayout.Layer("blocks.0.attn.o", 4, 4),
            new LoraLayout.Layer("blocks.0.mlp.fc", 4, 16), new LoraLayout.Layer("blocks.10.mlp.proj", 16, 4),
            new LoraLayout.Layer("head", 4, 10)));

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        KitEngine.init(1);
    }

    /** Random values plus the awkward ones: -0, the smallest subnormal, the largest finite float. */
    static float[] randomValues(LoraLayout layout, long seed) {
        Random random = new Random(seed);
        float[] values = new float[layout.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        values[0] = -0f;
        values[1] = Float.MIN_VALUE;
        values[2] = Float.MAX_VALUE;
        return values;
    }

    /** The raw bit patterns of {@code values}, for bit-identical comparisons. */
    static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    private static Adapter adapter(long seed) {
        return new Adapter(CONFIG, LAYOUT, randomValues(LAYOUT, seed));
    }

    @Test
    void saveThenLoadIsBitIdenticalWithConfigLayoutAndOrigin() throws IOException {
        Adapter adapter = adapter(1);
        for (PeftNameMap names : List.of(PeftNameMap.IDENTITY, PeftNameMap.gpt2())) {
            Path out = dir.resolve(names == PeftNameMap.IDENTITY ? "identity" : "gpt2");
            AdapterFiles.write(out, adapter, new Adapter.Origin(7, Map.of("loss", 0.25, "ppl", Double.NaN)), names,
                    "icmlora/gpt");
            try (Stream<Path> files = Files.list(out)) {
                assertEquals(List.of(AdapterFiles.PEFT_CONFIG, AdapterFiles.WEIGHTS, AdapterFiles.SIDECAR),
                        files.map(f -> f.getFileName().toString()).sorted().toList(), "no temporary files remain");
            }
            AdapterFiles.Stored back = AdapterFiles.read(out);
            assertArrayEquals(bits(adapter.values()), bits(back.adapter().values()));
            assertEquals(CONFIG, back.adapter().config(), "the exact targets survive, not only PEFT's module list");
            assertEquals(LAYOUT, back.adapter().layout());
            assertEquals(7, back.origin().epoch());
            assertEquals(Map.of("loss", 0.25, "ppl", Double.NaN), back.origin().metrics(), "a NaN metric is kept");
        }
    }

    @Test
    void peftConfigCarriesPeftsFieldsAndPeftReadsItBack() throws IOException {
        AdapterFiles.write(dir, adapter(1), Adapter.Origin.NONE, PeftNameMap.gpt2(), "icmlora/gpt");
        JsonObject json = new Gson().fromJson(Files.readString(dir.resolve(AdapterFiles.PEFT_CONFIG)),
                JsonObject.class);
        assertEquals("LORA", json.get("peft_type").getAsString());
        assertEquals(2, json.get("r").getAsInt());
        assertEquals("16", json.get("lora_alpha").toString(), "a whole alpha is written as an integer");
        assertEquals(0.1f, json.get("lora_dropout").getAsFloat());
        assertTrue(json.get("use_rslora").getAsBoolean());
        assertEquals("gaussian", json.get("init_lora_weights").getAsString());
        assertEquals("none", json.get("bias").getAsString());
        assertEquals("icmlora/gpt", json.get("base_model_name_or_path").getAsString());
        List<String> targets = new ArrayList<>();
        json.get("target_modules").getAsJsonArray().forEach(e -> targets.add(e.getAsString()));
        assertEquals(List.of("transformer.h.0.attn.c_proj", "transformer.h.0.attn.q_proj", "transformer.h.0.mlp.c_fc",
                "transformer.h.10.mlp.c_proj", "lm_head"), targets, "in layout order (attn.o sorts before attn.q)");

        // a PEFT directory without the kit's sidecar, as PEFT itself saves one
        Files.delete(dir.resolve(AdapterFiles.SIDECAR));
        Adapter foreign = AdapterFiles.readPeft(dir, PeftNameMap.gpt2());
        assertEquals(LAYOUT, foreign.layout());
        assertArrayEquals(bits(adapter(1).values()), bits(foreign.values()));
        assertEquals(List.of(CONFIG.rank(), CONFIG.alpha(), CONFIG.scaling(), CONFIG.dropout(), CONFIG.init()),
                List.of(foreign.config().rank(), foreign.config().alpha(), foreign.config().scaling(),
                        foreign.config().dropout(), foreign.config().init()));
        assertTrue(LAYOUT.layers().stream().allMatch(l -> foreign.config().targets(l.name())));
    }

    /** Parses the tensor file by the safetensors specification alone, without DJL. */
    @Test
    void tensorFileFollowsTheSafetensorsFormatWithPeftKeys() throws IOException {
        Adapter adapter = adapter(2);
        AdapterFiles.write(dir, adapter, Adapter.Origin.NONE, PeftNameMap.gpt2(), null);
        byte[] file = Files.readAllBytes(dir.resolve(AdapterFiles.WEIGHTS));
        ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) buffer.getLong(0);
        JsonObject header = new Gson().fromJson(new String(file, 8, headerLength, StandardCharsets.UTF_8),
                JsonObject.class);
        int dataStart = 8 + headerLength;
        Map<Long, String> byOffset = new TreeMap<>();
        header.entrySet().forEach(e -> byOffset.put(
                e.getValue().getAsJsonObject().getAsJsonArray("data_offsets").get(0).getAsLong(), e.getKey()));
        long expectedStart = 0;
        for (String name : byOffset.values()) {
            JsonObject entry = header.getAsJsonObject(name);
            assertEquals("F32", entry.get("dtype").getAsString());
            JsonArray offsets = entry.getAsJsonArray("data_offsets");
            JsonArray shape = entry.getAsJsonArray("shape");
            assertEquals(expectedStart, offsets.get(0).getAsLong(), "tensors are packed without gaps");
            assertEquals(4L * shape.get(0).getAsLong() * shape.get(1).getAsLong(),
                    offsets.get(1).getAsLong() - offsets.get(0).getAsLong());
            expectedStart = offsets.get(1).getAsLong();
        }
        assertEquals(file.length - dataStart, expectedStart, "the data ends with the last tensor");
        assertEquals(10, header.size());
        JsonObject headB = header.getAsJsonObject("base_model.model.lm_head.lora_B.weight");
        assertEquals("[10,2]", headB.get("shape").toString());
        int layer = LAYOUT.indexOf("head");
        buffer.position(dataStart + (int) headB.getAsJsonArray("data_offsets").get(0).getAsLong());
        float[] stored = new float[20];
        buffer.asFloatBuffer().get(stored);
        assertArrayEquals(java.util.Arrays.copyOfRange(adapter.values(), LAYOUT.offsetOfB(layer),
                LAYOUT.offsetOfA(layer + 1)), stored, 0f);
    }

    @Test
    void truncatedOrAlteredFilesAreReportedByName() throws IOException {
        adapter(3).save(dir, new Adapter.Origin(3, Map.of()));
        Path tensors = dir.resolve(AdapterFiles.WEIGHTS);
        byte[] bytes = Files.readAllBytes(tensors);
        Files.write(tensors, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        CorruptArtifactException truncated = assertThrows(CorruptArtifactException.class, () -> Adapter.load(dir));
        assertEquals(tensors, truncated.file());
        assertTrue(truncated.getMessage().contains("has " + (bytes.length - 5) + " bytes but " + bytes.length
                + " were written (truncated"), truncated.getMessage());
        bytes[bytes.length - 1] ^= 0x40;
        Files.write(tensors, bytes);
        CorruptArtifactException altered = assertThrows(CorruptArtifactException.class, () -> Adapter.load(dir));
        assertTrue(altered.getMessage().contains("does not match the SHA-256 recorded in icmlora.json"),
                altered.getMessage());
        Path config = dir.resolve(AdapterFiles.PEFT_CONFIG);
        Files.writeString(config, Files.readString(config).replace("\"r\": 2", "\"r\": 3"));
        assertThrows(CorruptArtifactException.class, () -> Adapter.load(dir), "PEFT's config is checksummed too");
    }

    @Test
    void missingOrUnreadableSidecarIsReportedByName() throws IOException {
        adapter(4).save(dir, Adapter.Origin.NONE);
        Files.delete(dir.resolve(AdapterFiles.SIDECAR));
        assertTrue(!AdapterFiles.isComplete(dir));
        CorruptArtifactException missing = assertThrows(CorruptArtifactException.class, () -> Adapter.load(dir));
        assertTrue(missing.getMessage().contains("icmlora.json: is missing"), missing.getMessage());
        Files.writeString(dir.resolve(AdapterFiles.SIDECAR), "{\"format\": 2, \"config\": {\"rank\": 0");
        CorruptArtifactException garbled = assertThrows(CorruptArtifactException.class, () -> Adapter.load(dir));
        assertTrue(garbled.getMessage().contains("icmlora.json: cannot be read as an adapter sidecar"),
                garbled.getMessage());
    }

    @Test
    void nonFiniteValuesAreRefusedWhenMadeAndWhenLoaded() throws IOException {
        float[] values = randomValues(LAYOUT, 5);
        values[9] = Float.POSITIVE_INFINITY;
        IllegalArgumentException made = assertThrows(IllegalArgumentException.class,
                () -> new Adapter(CONFIG, LAYOUT, values));
        assertTrue(made.getMessage().contains("Infinity at index 9"), made.getMessage());

        adapter(5).save(dir, Adapter.Origin.NONE);
        float[] withNan = randomValues(LAYOUT, 5);
        int index = LAYOUT.offsetOfA(2);
        withNan[index] = Float.NaN;
        replaceTensors(manager -> peftTensors(manager, withNan));
        IllegalArgumentException loaded = assertThrows(IllegalArgumentException.class, () -> Adapter.load(dir));
        assertTrue(loaded.getMessage().contains("adapter_model.safetensors: adapter vector holds NaN at index " + index
                + " (blocks.0.mlp.fc lora_A[0,0])"), loaded.getMessage());
    }

    @Test
    void tensorsOfAnotherLayoutAreRefused() throws IOException {
        adapter(6).save(dir, Adapter.Origin.NONE);
        replaceTensors(manager -> {
            NDList list = peftTensors(manager, randomValues(LAYOUT, 6));
            list.remove("base_model.model.head.lora_B.weight");
            return list;
        });
        CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> Adapter.load(dir));
        assertTrue(e.getMessage().contains("has no tensor base_model.model.head.lora_B.weight although its sidecar"),
                e.getMessage());
    }

    @Test
    void nameMapsThatCannotBeUndoneAndAdaptersThatAreNotPlainLoraAreRefused() throws IOException {
        PeftNameMap lossy = new PeftNameMap(name -> name.replace("blocks.", "h."), Function.identity());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdapterFiles.write(dir, adapter(7), Adapter.Origin.NONE, lossy, null));
        assertTrue(e.getMessage().contains("sends layer blocks.0.attn.o to h.0.attn.o but maps that back to"
                + " h.0.attn.o"), e.getMessage());
        AdapterFiles.write(dir, adapter(7), Adapter.Origin.NONE, PeftNameMap.IDENTITY, null);
        Path config = dir.resolve(AdapterFiles.PEFT_CONFIG);
        String json = Files.readString(config);
        Files.writeString(config, json.replace("\"bias\": \"none\"", "\"bias\": \"all\""));
        IllegalArgumentException bias = assertThrows(IllegalArgumentException.class,
                () -> AdapterFiles.readPeft(dir, PeftNameMap.IDENTITY));
        assertTrue(bias.getMessage().contains("trains biases"), bias.getMessage());
        Files.writeString(config, json.replace("\"peft_type\": \"LORA\"", "\"peft_type\": \"IA3\""));
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> AdapterFiles.readPeft(dir, PeftNameMap.IDENTITY));
        assertTrue(type.getMessage().contains("is not a LoRA adapter"), type.getMessage());
    }

    @Test
    void anAdapterAppliesToItsModelAndIsRefusedByAnother() {
        try (NDManager manager = KitEngine.newManager()) {
            LoraConfig config = LoraConfig.of(2, "blocks\\.\\d+\\.attn\\.(q|v)");
            Adapter saved;
            try (NDManager first = manager.newSubManager()) {
                ai.djl.nn.SequentialBlock model = model(first, 4);
                LoraLayout layout = LoraAdapters.inject(model, config, first);
                saved = new Adapter(config, layout, randomValues(layout, 8));
                saved.save(dir, Adapter.Origin.NONE);
            }
            ai.djl.nn.SequentialBlock fresh = model(manager, 4);
            Adapter.load(dir).applyTo(fresh, manager);
            assertEquals(saved, Adapter.of(fresh, config));
            IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                    () -> saved.applyTo(model(manager, 5), manager));
            assertTrue(other.getMessage().contains("does not fit the model"), other.getMessage());
        }
    }

    private static ai.djl.nn.SequentialBlock model(NDManager manager, int width) {
        ai.djl.nn.SequentialBlock model = new ai.djl.nn.SequentialBlock()
                .add(new LoraLinear("blocks.0.attn.q", 4, width, true))
                .add(new LoraLinear("blocks.0.attn.v", width, 3, true))
                .add(new LoraLinear("blocks.10.attn.q", 3, 4, true));
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
        return model;
    }

    /** The tensors of {@code values} under PEFT's keys with the kit's layer names. */
    private static NDList peftTensors(NDManager manager, float[] values) {
        NDList list = new NDList();
        for (LoraLayout.Tensor tensor : LAYOUT.tensors()) {
            NDArray array = manager.create(java.util.Arrays.copyOfRange(values, tensor.offset(),
                    tensor.offset() + tensor.size()), new Shape(tensor.rows(), tensor.cols()));
            array.setName("base_model.model." + tensor.name() + ".weight");
            list.add(array);
        }
        return list;
    }

    /** Rewrites the tensor file and fixes its recorded size and checksum, as a buggy writer would. */
    private void replaceTensors(Function<NDManager, NDList> tensors) throws IOException {
        Path file = dir.resolve(AdapterFiles.WEIGHTS);
        try (NDManager manager = KitEngine.newManager(); OutputStream out = Files.newOutputStream(file)) {
            tensors.apply(manager).encode(out, NDList.Encoding.SAFETENSORS);
        }
        Path sidecar = dir.resolve(AdapterFiles.SIDECAR);
        JsonObject json = new Gson().fromJson(Files.readString(sidecar), JsonObject.class);
        JsonObject sums = json.getAsJsonObject("files").getAsJsonObject(AdapterFiles.WEIGHTS);
        sums.addProperty("bytes", Files.size(file));
        sums.addProperty("sha256", AtomicFiles.sha256(file));
        Files.writeString(sidecar, json.toString());
    }
}
