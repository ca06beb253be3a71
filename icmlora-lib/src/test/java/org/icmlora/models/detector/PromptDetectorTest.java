package org.icmlora.models.detector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.List;
import org.icmlora.data.scenes.Box;
import org.icmlora.engine.GarbageBeforeBackward;
import org.icmlora.engine.KitEngine;
import org.icmlora.eval.ScoredBox;
import org.icmlora.lora.LoraAdapters;
import org.icmlora.lora.LoraConfig;
import org.icmlora.lora.LoraLayout;
import org.icmlora.lora.LoraLinear;
import org.icmlora.train.TrainableParameters;
import org.junit.jupiter.api.Test;

class PromptDetectorTest {

    private static final DetectorConfig SMALL = new DetectorConfig(32, 4, 16, 2, 2, 24, 10, 12);

    @Test
    void outputsOneRowPerCellAndAHiddenStatePerToken() {
        KitEngine.init(1);
        try (NDManager manager = KitEngine.newManager()) {
            PromptDetector detector = new PromptDetector(SMALL);
            detector.initialize(manager);
            NDList out = detector.forward(new ParameterStore(manager, false), new NDList(
                    manager.randomUniform(0, 1, new Shape(3, 1, 32, 32)), manager.randomNormal(new Shape(3, 10))), false);
            assertEquals(new Shape(3, 16, GridCodec.OUTPUTS), out.get(0).getShape());
            assertEquals(new Shape(3, 17, 16), out.get(1).getShape());
        }
    }

    @Test
    void thePromptChangesTheScores() {
        KitEngine.init(1);
        KitEngine.seed(3);
        try (NDManager manager = KitEngine.newManager()) {
            PromptDetector detector = new PromptDetector(SMALL);
            detector.initialize(manager);
            var image = manager.randomUniform(0, 1, new Shape(1, 1, 32, 32));
            float[] a = detector.forward(new ParameterStore(manager, false),
                    new NDList(image, manager.ones(new Shape(1, 10))), false).get(0).toFloatArray();
            float[] b = detector.forward(new ParameterStore(manager, false),
                    new NDList(image, manager.ones(new Shape(1, 10)).neg()), false).get(0).toFloatArray();
            assertFalse(java.util.Arrays.equals(a, b));
        }
    }

    @Test
    void loraTargetsTheBlocksAttentionAndMlpLayersByName() {
        KitEngine.init(1);
        try (NDManager manager = KitEngine.newManager()) {
            PromptDetector detector = new PromptDetector(SMALL);
            detector.initialize(manager);
            List<String> names = LoraAdapters.linearLayers(detector).stream().map(LoraLinear::name).toList();
            assertEquals(List.of("blocks.0.attn.k", "blocks.0.attn.o", "blocks.0.attn.q", "blocks.0.attn.v",
                    "blocks.0.film", "blocks.0.mlp.fc", "blocks.0.mlp.proj", "blocks.1.attn.k", "blocks.1.attn.o",
                    "blocks.1.attn.q", "blocks.1.attn.v", "blocks.1.film", "blocks.1.mlp.fc", "blocks.1.mlp.proj",
                    "head.box", "head.embed", "head.query", "prompt.proj"), names);
            LoraLayout layout = LoraAdapters.inject(detector, LoraConfig.of(2, "blocks\\.\\d+\\.attn\\.(q|k|v|o)",
                    "blocks\\.\\d+\\.mlp\\.(fc|proj)"), manager);
            // per block: 4 x 2*(16+16) + 2*(16+24) + 2*(24+16) = 256 + 160 = 416; two blocks
            assertEquals(832, layout.size());
        }
    }

    @Test
    void codecRoundTripsABoxThroughItsCell() {
        GridCodec codec = new GridCodec(SMALL);
        float[] objectness = new float[16];
        float[] targets = new float[64];
        Box box = new Box(9, 3, 21, 19); // centre (15, 11): column 1, row 1 -> cell 5
        codec.encode(List.of(box), objectness, targets, 0);
        assertEquals(1f, objectness[5]);
        assertEquals(1f, sum(objectness));
        float[] head = new float[16 * GridCodec.OUTPUTS];
        head[5 * 5] = 5; // confident
        head[5 * 5 + 1] = logit(targets[20]);
        head[5 * 5 + 2] = logit(targets[21]);
        head[5 * 5 + 3] = targets[22];
        head[5 * 5 + 4] = targets[23];
        for (int cell = 0; cell < 16; cell++) {
            if (cell != 5) {
                head[cell * 5] = -10;
            }
        }
        List<ScoredBox> found = codec.decode(head, 0, 0.05, 0.5, 100);
        assertEquals(1, found.size());
        assertArrayEquals(new double[] {9, 3, 21, 19}, new double[] {found.get(0).box().x1(), found.get(0).box().y1(),
            found.get(0).box().x2(), found.get(0).box().y2()}, 1e-4);
        assertEquals(1 / (1 + Math.exp(-5)), found.get(0).score(), 1e-9);
    }

    @Test
    void suppressionKeepsTheBestOfOverlappingBoxes() {
        List<ScoredBox> kept = GridCodec.suppress(List.of(new ScoredBox(new Box(0, 0, 10, 10), 0.6),
                new ScoredBox(new Box(1, 1, 11, 11), 0.9), new ScoredBox(new Box(20, 20, 30, 30), 0.5)), 0.5, 100);
        assertEquals(List.of(0.9, 0.5), kept.stream().map(ScoredBox::score).toList());
    }

    private static float logit(float p) {
        return (float) Math.log(p / (1 - p));
    }

    private static float sum(float[] values) {
        float s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }

    @Test
    void loraGradientsSurviveAGarbageCollectionBetweenForwardAndBackward() {
        KitEngine.init(1);
        KitEngine.seed(5);
        try (NDManager manager = KitEngine.newManager()) {
            PromptDetector detector = new PromptDetector(SMALL);
            detector.initialize(manager);
            LoraAdapters.inject(detector, LoraConfig.of(2, "blocks\\.\\d+\\.attn\\.(q|k|v|o)", "blocks\\.\\d+\\.mlp\\.(fc|proj)"),
                    manager);
            Map<String, Parameter> trainable = TrainableParameters.of(detector);
            // B starts at zero: one plain step first so that every LoRA factor gets a gradient.
            trainable.values().forEach(p -> p.getArray().addi(manager.randomNormal(0, 0.1f, p.getArray().getShape(),
                    ai.djl.ndarray.types.DataType.FLOAT32)));
            NDArray images = manager.randomUniform(0, 1, new Shape(2, 1, 32, 32));
            NDArray prompts = manager.randomNormal(new Shape(2, 10));
            NDArray objectness = manager.create(new float[32]).reshape(2, 16);
            objectness.set(new ai.djl.ndarray.index.NDIndex("0, 5"), 1f);
            NDArray boxes = manager.randomNormal(new Shape(2, 16, 4)).mul(0.1f);
            java.util.function.Supplier<NDArray> loss = () -> DetectionLoss.compute(detector.forward(
                    new ParameterStore(manager, false), new NDList(images, prompts), true).head(), objectness, boxes, 1,
                    5f);

            Map<String, float[]> gradients = GarbageBeforeBackward.assertUnchangedByGarbageCollection(trainable, loss);

            assertEquals(24, gradients.size());
        }
    }
}
