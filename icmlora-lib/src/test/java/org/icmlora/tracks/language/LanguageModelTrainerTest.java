package org.icmlora.tracks.language;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.icmlora.engine.KitEngine;
import org.icmlora.lora.LoraAdapters;
import org.icmlora.lora.LoraConfig;
import org.icmlora.models.gpt.ByteTokenizer;
import org.icmlora.models.gpt.Gpt;
import org.icmlora.models.gpt.GptConfig;
import org.icmlora.train.TrainingLoop;
import org.icmlora.train.TrainingRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LanguageModelTrainerTest {

    private static final GptConfig CONFIG = new GptConfig(256, 16, 16, 1, 2, true);
    private static final LanguageModelTrainer.Schedule SCHEDULE =
            new LanguageModelTrainer.Schedule(4, 5, 4, 1e-2f, 0.01f);
    private static int[] tokens;

    @BeforeAll
    static void text() {
        KitEngine.init(1);
        tokens = new ByteTokenizer().encode("the cat sat on the mat. ".repeat(40));
    }

    /** Trains {@code model}'s parameters that take gradients in memory; returns the loss of every epoch. */
    private static List<Double> train(Gpt model, NDManager manager) {
        return TrainingLoop.of("test", model).adamW(SCHEDULE.learningRate(), SCHEDULE.weightDecay())
                .epochs(SCHEDULE.epochs()).run(TrainingRun.inMemory(11))
                .train(optimizer -> new LanguageModelTrainer("test", model, tokens, SCHEDULE, optimizer, manager))
                .history().stream().map(h -> h.get("loss")).toList();
    }

    @Test
    void lossDecreases() {
        KitEngine.seed(5);
        try (NDManager manager = KitEngine.newManager()) {
            Gpt model = new Gpt(CONFIG);
            model.initialize(manager);
            model.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            List<Double> losses = train(model, manager);
            assertTrue(losses.get(3) < losses.get(0) - 1.0, "losses " + losses);
        }
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
            float[] adapterBefore = LoraAdapters.flatten(model, layout);
            train(model, manager);
            model.namedWeights().forEach((name, p) ->
                    assertArrayEquals(before.get(name), p.getArray().toFloatArray(), 0f, name + " changed"));
            float[] adapterAfter = LoraAdapters.flatten(model, layout);
            assertTrue(!java.util.Arrays.equals(adapterBefore, adapterAfter), "the adapter did not train");
        }
    }
}
