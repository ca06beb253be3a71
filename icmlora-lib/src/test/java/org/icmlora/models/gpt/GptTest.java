package org.icmlora.models.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.icmlora.engine.GarbageBeforeBackward;
import org.icmlora.engine.KitEngine;
import org.icmlora.lora.LoraAdapters;
import org.icmlora.lora.LoraConfig;
import org.icmlora.store.AtomicFiles;
import org.icmlora.train.TrainableParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GptTest {

    private static final GptConfig CONFIG = new GptConfig(256, 8, 8, 2, 2, true);

    @TempDir
    Path dir;
    private NDManager manager;

    @BeforeEach
    void start() {
        KitEngine.init(1);
        KitEngine.seed(3);
        manager = KitEngine.newManager();
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    private Gpt model(GptConfig config) {
        Gpt model = new Gpt(config);
        model.initialize(manager);
        return model;
    }

    private NDList run(Gpt model, long... tokens) {
        return model.forward(new ParameterStore(manager, false),
                new NDList(manager.create(tokens, new Shape(1, tokens.length))), false);
    }

    @Test
    void outputsLogitsAndHiddenStatesOfTheRightShape() {
        NDList out = run(model(CONFIG), 1, 2, 3, 4, 5);
        assertEquals(new Shape(1, 5, 256), out.get(0).getShape());
        assertEquals(new Shape(1, 5, 8), out.get(1).getShape());
    }

    @Test
    void attentionIsCausal() {
        Gpt model = model(CONFIG);
        float[] a = run(model, 10, 20, 30, 40).get(0).toFloatArray();
        float[] b = run(model, 10, 20, 30, 99).get(0).toFloatArray();
        int firstThree = 3 * 256;
        assertArrayEquals(Arrays.copyOf(a, firstThree), Arrays.copyOf(b, firstThree), 1e-5f);
        assertFalse(Arrays.equals(Arrays.copyOfRange(a, firstThree, a.length),
                Arrays.copyOfRange(b, firstThree, b.length)));
    }

    @Test
    void loraTargetsAttentionAndMlpByName() {
        Gpt model = model(CONFIG);
        var layout = LoraAdapters.inject(model, LoraConfig.of(2, ".*attn\\.(q|k|v|o)", ".*mlp\\.(fc|proj)"), manager);
        assertEquals(12, layout.layers().size());
        assertEquals("blocks.0.attn.k", layout.layers().get(0).name());
        assertEquals(2 * (4 * 2 * (8 + 8) + 2 * (8 + 32) + 2 * (32 + 8)), layout.size());
    }

    @Test
    void untiedHeadIsItsOwnLayer() {
        Gpt model = model(new GptConfig(256, 8, 8, 1, 2, false));
        assertEquals(new Shape(1, 3, 256), run(model, 1, 2, 3).get(0).getShape());
        var layout = LoraAdapters.inject(model, LoraConfig.of(1, "head"), manager);
        assertEquals("head", layout.layers().get(0).name());
        assertEquals(256, layout.layers().get(0).outFeatures());
    }

    @Test
    void tooLongInputIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(model(CONFIG), new long[9]));
        assertTrue(e.getMessage().contains("context of 8"), e.getMessage());
    }

    @Test
    void kitWeightsRoundTrip() {
        Gpt original = model(CONFIG);
        Path file = dir.resolve("w.safetensors");
        GptWeights.save(original, file);
        KitEngine.seed(99);
        Gpt copy = model(CONFIG);
        GptWeights.load(copy, file);
        assertArrayEquals(run(original, 5, 6, 7).get(0).toFloatArray(), run(copy, 5, 6, 7).get(0).toFloatArray(), 0f);
    }

    @Test
    void weightsOfAnotherConfigurationAreRejected() {
        Path file = dir.resolve("w.safetensors");
        GptWeights.save(model(CONFIG), file);
        Gpt wider = model(new GptConfig(256, 8, 16, 2, 2, true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GptWeights.load(wider, file));
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
    }

    @Test
    void gpt2NamedWeightsAreMappedSplitAndTransposed() {
        int d = 8;
        GptConfig config = new GptConfig(256, 8, d, 1, 2, true);
        NDList gpt2 = new NDList();
        add(gpt2, "transformer.wte.weight", manager.randomNormal(new Shape(256, d)));
        add(gpt2, "transformer.wpe.weight", manager.randomNormal(new Shape(16, d))); // longer than the context
        add(gpt2, "transformer.h.0.ln_1.weight", manager.randomNormal(new Shape(d)));
        add(gpt2, "transformer.h.0.ln_1.bias", manager.randomNormal(new Shape(d)));
        NDArray cAttn = manager.arange(d * 3 * d).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                .reshape(d, 3 * d);
        add(gpt2, "transformer.h.0.attn.c_attn.weight", cAttn);
        add(gpt2, "transformer.h.0.attn.c_attn.bias", manager.arange(3 * d).toType(
                ai.djl.ndarray.types.DataType.FLOAT32, false));
        add(gpt2, "transformer.h.0.attn.bias", manager.ones(new Shape(1, 1, 16, 16)));
        add(gpt2, "transformer.h.0.attn.c_proj.weight", manager.randomNormal(new Shape(d, d)));
        add(gpt2, "transformer.h.0.attn.c_proj.bias", manager.randomNormal(new Shape(d)));
        add(gpt2, "transformer.h.0.ln_2.weight", manager.randomNormal(new Shape(d)));
        add(gpt2, "transformer.h.0.ln_2.bias", manager.randomNormal(new Shape(d)));
        add(gpt2, "transformer.h.0.mlp.c_fc.weight", manager.randomNormal(new Shape(d, 4 * d)));
        add(gpt2, "transformer.h.0.mlp.c_fc.bias", manager.randomNormal(new Shape(4 * d)));
        add(gpt2, "transformer.h.0.mlp.c_proj.weight", manager.randomNormal(new Shape(4 * d, d)));
        add(gpt2, "transformer.h.0.mlp.c_proj.bias", manager.randomNormal(new Shape(d)));
        add(gpt2, "transformer.ln_f.weight", manager.randomNormal(new Shape(d)));
        add(gpt2, "transformer.ln_f.bias", manager.randomNormal(new Shape(d)));
        Path file = dir.resolve("gpt2.safetensors");
        AtomicFiles.write(file, out -> gpt2.encode(out, NDList.Encoding.SAFETENSORS));

        Gpt model = model(config);
        GptWeights.loadGpt2Style(model, file);
        var w = model.namedWeights();
        // k's weight row o, column i = c_attn[i, d + o]
        float[] k = w.get("blocks.0.attn.k.weight").getArray().toFloatArray();
        assertEquals(2 * (3 * d) + d + 5, k[5 * d + 2], 0f);
        assertArrayEquals(new float[] {16, 17, 18, 19, 20, 21, 22, 23},
                w.get("blocks.0.attn.v.bias").getArray().toFloatArray(), 0f);
        assertArrayEquals(gpt2.get(13).transpose().toFloatArray(),
                w.get("blocks.0.mlp.proj.weight").getArray().toFloatArray(), 0f);
        assertArrayEquals(gpt2.get(1).get("0:8").toFloatArray(), w.get("pos_emb").getArray().toFloatArray(), 0f);
        assertArrayEquals(gpt2.get(15).toFloatArray(), w.get("ln_f.gamma").getArray().toFloatArray(), 0f);
    }

    @Test
    void loraGradientsSurviveAGarbageCollectionBetweenForwardAndBackward() {
        Gpt model = model(CONFIG);
        LoraAdapters.inject(model, LoraConfig.of(2, ".*attn\\.(q|k|v|o)", ".*mlp\\.(fc|proj)"), manager);
        Map<String, Parameter> trainable = TrainableParameters.of(model);
        trainable.values().forEach(p -> p.getArray().addi(manager.randomNormal(0, 0.1f, p.getArray().getShape(),
                DataType.FLOAT32))); // B starts at zero: give every factor a gradient
        NDArray inputs = manager.create(new long[] {72, 101, 108, 108, 111, 32, 119, 111}, new Shape(1, 8));
        NDArray targets = manager.create(new long[] {101, 108, 108, 111, 32, 119, 111, 114}, new Shape(1, 8));
        Supplier<NDArray> loss = () -> Gpt.meanNextTokenLoss(
                model.forward(new ParameterStore(manager, false), new NDList(inputs), true).head(), targets);

        Map<String, float[]> gradients = GarbageBeforeBackward.assertUnchangedByGarbageCollection(trainable, loss);

        assertEquals(24, gradients.size());
    }

    @Test
    void meanNextTokenLossOfAUniformModelIsLogOfTheVocabulary() {
        NDArray logits = manager.zeros(new Shape(2, 3, 256));
        NDArray targets = manager.create(new long[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
        assertEquals(Math.log(256), Gpt.meanNextTokenLoss(logits, targets).getFloat(), 1e-5);
        assertEquals(new Shape(2, 3, 1), Gpt.targetLogProbabilities(logits, targets).getShape());
    }

    private static void add(NDList list, String name, NDArray array) {
        array.setName(name);
        list.add(array);
    }
}
