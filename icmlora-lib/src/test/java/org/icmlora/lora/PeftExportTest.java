package org.icmlora.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeftExportTest {

    private static final LoraConfig CONFIG = LoraConfig.of(2, ".*").withAlpha(16)
            .withScaling(LoraConfig.Scaling.RANK_STABILIZED).withInit(LoraConfig.Init.GAUSSIAN).withDropout(0.1f);
    private static final LoraLayout LAYOUT = new LoraLayout(2, CONFIG.scale(), List.of(
            new LoraLayout.Layer("blocks.0.attn.q", 4, 4), new LoraLayout.Layer("blocks.0.attn.o", 4, 4),
            new LoraLayout.Layer("blocks.0.mlp.fc", 4, 16), new LoraLayout.Layer("blocks.1.mlp.proj", 16, 4),
            new LoraLayout.Layer("head", 4, 10)));

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        KitEngine.init(1);
    }

    @Test
    void exportReadsBackToTheSameAdapter() {
        float[] vector = LoraCheckpointTest.randomVector(LAYOUT, 9);
        for (PeftNameMap names : List.of(PeftNameMap.IDENTITY, PeftNameMap.gpt2())) {
            Path out = dir.resolve(names == PeftNameMap.IDENTITY ? "identity" : "gpt2");
            PeftExport.write(out, CONFIG, LAYOUT, vector, "icmlora/gpt-byte-small", "CAUSAL_LM", names);
            PeftExport.Adapter back = PeftExport.read(out, names);
            assertEquals(LAYOUT, back.layout());
            assertArrayEquals(LoraCheckpointTest.bits(vector), LoraCheckpointTest.bits(back.vector()));
            assertEquals(CONFIG.withRank(2).scale(), back.config().scale());
            assertEquals(List.of(CONFIG.rank(), CONFIG.alpha(), CONFIG.scaling(), CONFIG.dropout(), CONFIG.init()),
                    List.of(back.config().rank(), back.config().alpha(), back.config().scaling(),
                            back.config().dropout(), back.config().init()));
            assertTrue(LAYOUT.layers().stream().allMatch(l -> back.config().targets(l.name())));
            assertEquals("icmlora/gpt-byte-small", back.baseModel());
            assertEquals("CAUSAL_LM", back.taskType());
        }
    }

    @Test
    void adapterConfigCarriesPeftFields() throws IOException {
        PeftExport.write(dir, CONFIG, LAYOUT, LoraCheckpointTest.randomVector(LAYOUT, 1), "icmlora/gpt", null,
                PeftNameMap.gpt2());
        JsonObject json = new Gson().fromJson(Files.readString(dir.resolve(PeftExport.CONFIG_FILE)), JsonObject.class);
        assertEquals("LORA", json.get("peft_type").getAsString());
        assertEquals(2, json.get("r").getAsInt());
        assertEquals("16", json.get("lora_alpha").toString(), "a whole alpha is written as an integer");
        assertEquals(0.1f, json.get("lora_dropout").getAsFloat());
        assertTrue(json.get("use_rslora").getAsBoolean());
        assertEquals("gaussian", json.get("init_lora_weights").getAsString());
        assertEquals("none", json.get("bias").getAsString());
        assertEquals("icmlora/gpt", json.get("base_model_name_or_path").getAsString());
        assertTrue(json.get("task_type").isJsonNull());
        List<String> targets = new ArrayList<>();
        json.get("target_modules").getAsJsonArray().forEach(e -> targets.add(e.getAsString()));
        assertEquals(List.of("transformer.h.0.attn.c_proj", "transformer.h.0.attn.q_proj", "transformer.h.0.mlp.c_fc",
                "transformer.h.1.mlp.c_proj", "lm_head"), targets, "in layout order (attn.o sorts before attn.q)");

        PeftExport.write(dir, LoraConfig.of(2, ".*"), new LoraLayout(2, 2f, LAYOUT.layers()),
                new float[LAYOUT.size()], "m", "CAUSAL_LM");
        JsonObject plain = new Gson().fromJson(Files.readString(dir.resolve(PeftExport.CONFIG_FILE)), JsonObject.class);
        assertTrue(plain.get("init_lora_weights").getAsBoolean());
        assertTrue(!plain.get("use_rslora").getAsBoolean());
    }

    /** Parses the file by the safetensors specification alone, without DJL. */
    @Test
    void tensorFileFollowsTheSafetensorsFormatWithPeftKeys() throws IOException {
        float[] vector = LoraCheckpointTest.randomVector(LAYOUT, 2);
        PeftExport.write(dir, CONFIG, LAYOUT, vector, "m", "CAUSAL_LM", PeftNameMap.gpt2());
        byte[] file = Files.readAllBytes(dir.resolve(PeftExport.WEIGHTS_FILE));
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
        JsonObject fcA = header.getAsJsonObject("base_model.model.transformer.h.0.mlp.c_fc.lora_A.weight");
        assertEquals("[2,4]", fcA.get("shape").toString());
        int layer = LAYOUT.indexOf("head");
        int start = dataStart + (int) headB.getAsJsonArray("data_offsets").get(0).getAsLong();
        float[] stored = new float[20];
        buffer.position(start);
        buffer.asFloatBuffer().get(stored);
        assertArrayEquals(java.util.Arrays.copyOfRange(vector, LAYOUT.offsetOfB(layer), LAYOUT.offsetOfA(layer + 1)),
                stored, 0f);
    }

    @Test
    void gpt2NameMapFollowsItsTableBothWays() {
        PeftNameMap map = PeftNameMap.gpt2();
        Map<String, String> table = Map.of("blocks.3.attn.q", "transformer.h.3.attn.q_proj",
                "blocks.11.attn.v", "transformer.h.11.attn.v_proj", "blocks.0.attn.o", "transformer.h.0.attn.c_proj",
                "blocks.2.mlp.fc", "transformer.h.2.mlp.c_fc", "blocks.2.mlp.proj", "transformer.h.2.mlp.c_proj",
                "head", "lm_head", "embed", "embed");
        table.forEach((kit, peft) -> {
            assertEquals(peft, map.toPeft().apply(kit));
            assertEquals(kit, map.toKit().apply(peft));
        });
    }

    @Test
    void aNameMapThatCannotBeUndoneIsRefused() {
        PeftNameMap lossy = new PeftNameMap(name -> name.replace("blocks.", "h."), Function.identity());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeftExport.write(dir, CONFIG,
                LAYOUT, new float[LAYOUT.size()], "m", null, lossy));
        assertTrue(e.getMessage().contains("sends layer blocks.0.attn.o to h.0.attn.o but maps that back to h.0.attn.o"),
                e.getMessage());
        PeftNameMap collapsing = new PeftNameMap(name -> "same", name -> "same");
        assertThrows(IllegalArgumentException.class, () -> PeftExport.write(dir, CONFIG, LAYOUT,
                new float[LAYOUT.size()], "m", null, collapsing));
    }

    @Test
    void adaptersThatAreNotPlainLoraAreRefused() throws IOException {
        PeftExport.write(dir, CONFIG, LAYOUT, new float[LAYOUT.size()], "m", null);
        Path config = dir.resolve(PeftExport.CONFIG_FILE);
        String json = Files.readString(config);
        Files.writeString(config, json.replace("\"bias\": \"none\"", "\"bias\": \"all\""));
        IllegalArgumentException bias = assertThrows(IllegalArgumentException.class, () -> PeftExport.read(dir));
        assertTrue(bias.getMessage().contains("trains biases"), bias.getMessage());
        Files.writeString(config, json.replace("\"peft_type\": \"LORA\"", "\"peft_type\": \"IA3\""));
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> PeftExport.read(dir));
        assertTrue(type.getMessage().contains("is not a LoRA adapter"), type.getMessage());
        Files.writeString(config, json.replace("\"r\": 2", "\"r\": 3"));
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class, () -> PeftExport.read(dir));
        assertTrue(rank.getMessage().contains("has rank 2 but the adapter config says r = 3"), rank.getMessage());
        Files.writeString(config, json);
        assertNull(PeftExport.read(dir).taskType());
    }
}
