package org.icmlora.tracks.language;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.icmlora.engine.KitEngine;
import org.icmlora.lora.LoraAdapters;
import org.icmlora.lora.LoraConfig;
import org.icmlora.models.gpt.ByteTokenizer;
import org.icmlora.models.gpt.Gpt;
import org.icmlora.models.gpt.GptConfig;
import org.icmlora.models.gpt.GptWeights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanguageModelTrainerTest {

    private static final GptConfig CONFIG = new GptConfig(256, 16, 16, 1, 2, true);
    private static final LanguageModelTrainer.Schedule SCHEDULE =
            new LanguageModelTrainer.Schedule(4, 5, 4, 1e-2f, 0.01f, 11);
    private static int[] tokens;

    @TempDir
    Path dir;

    @BeforeAll
    static void text() {
        KitEngine.init(1);
        tokens = new ByteTokenizer().encode("the cat sat on the mat. ".repeat(40));
    }

    /** Trains a freshly seeded model in {@code work}; returns its weights (flattened, in name order). */
    private float[] train(Path work, LanguageModelTrainer.EpochListener listener, List<Double> lossesOut) {
        KitEngine.seed(5);
        try (NDManager manager = KitEngine.newManager()) {
            Gpt model = new Gpt(CONFIG);
            model.initialize(manager);
            Map<String, Parameter> all = model.namedWeights();
            all.values().forEach(p -> p.getArray().setRequiresGradient(true));
            lossesOut.addAll(LanguageModelTrainer.train("test", model, all, tokens, SCHEDULE, work, listener));
            Path file = work.resolve("final.safetensors");
            GptWeights.save(model, file);
            return all.values().stream().map(p -> p.getArray().toFloatArray())
                    .reduce(new float[0], LanguageModelTrainerTest::concat);
        }
    }

    @Test
    void lossDecreases() {
        List<Double> losses = new java.util.ArrayList<>();
        train(dir.resolve("a"), (e, l) -> { }, losses);
        assertEquals(4, losses.size());
        assertTrue(losses.get(3) < losses.get(0) - 1.0, "losses " + losses);
    }

    @Test
    void aKilledRunResumesToTheSameWeightsAsAnUninterruptedOne() {
        List<Double> straightLosses = new java.util.ArrayList<>();
        float[] straight = train(dir.resolve("straight"), (e, l) -> { }, straightLosses);

        Path work = dir.resolve("killed");
        assertThrows(IllegalStateException.class, () -> train(work, (epoch, loss) -> {
            if (epoch == 3) {
                throw new IllegalStateException("killed in epoch 3");
            }
        }, new java.util.ArrayList<>()));
        List<Double> resumedLosses = new java.util.ArrayList<>();
        float[] resumed = train(work, (e, l) -> assertTrue(e >= 3, "epoch " + e + " was already done"),
                resumedLosses);

        assertArrayEquals(straight, resumed, 0f);
        assertEquals(straightLosses, resumedLosses);
    }

    @Test
    void loraTrainingChangesOnlyTheAdapterFactors() {
        KitEngine.seed(5);
        try (NDManager manager = KitEngine.newManager()) {
            Gpt model = new Gpt(CONFIG);
            model.initialize(manager);
            Map<String, float[]> before = new java.util.LinkedHashMap<>();
            model.namedWeights().forEach((name, p) -> before.put(name, p.getArray().toFloatArray()));
            var layout = LoraAdapters.inject(model, LoraConfig.of(2, ".*attn\\.(q|v)", ".*mlp\\.fc"), manager);
            Map<String, Parameter> adapters = new java.util.LinkedHashMap<>();
            LoraAdapters.adaptedLayers(model).forEach(layer -> layer.getParameters().forEach(p -> {
                if (p.getKey().startsWith("lora_")) {
                    adapters.put(layer.name() + "." + p.getKey(), p.getValue());
                }
            }));
            float[] adapterBefore = LoraAdapters.flatten(model, layout);
            LanguageModelTrainer.train("lora", model, adapters, tokens, SCHEDULE, dir.resolve("lora"), (e, l) -> { });
            model.namedWeights().forEach((name, p) ->
                    assertArrayEquals(before.get(name), p.getArray().toFloatArray(), 0f, name + " changed"));
            float[] adapterAfter = LoraAdapters.flatten(model, layout);
            assertTrue(!java.util.Arrays.equals(adapterBefore, adapterAfter), "the adapter did not train");
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
