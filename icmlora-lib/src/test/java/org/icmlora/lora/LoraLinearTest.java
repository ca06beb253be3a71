package org.icmlora.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoraLinearTest {

    private NDManager manager;
    private SequentialBlock model;

    @BeforeEach
    void buildTwoLayerModel() {
        KitEngine.init(1);
        KitEngine.seed(7);
        manager = KitEngine.newManager();
        model = new SequentialBlock().add(new LoraLinear("layers.0.fc", 6, 5, true))
                .add(new LoraLinear("layers.1.fc", 5, 3, false));
        model.initialize(manager, DataType.FLOAT32, new Shape(4, 6));
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private float[] forward(NDArray x, boolean training) {
        return model.forward(new ParameterStore(manager, false), new NDList(x), training).head().toFloatArray();
    }

    @Test
    void freshAdapterLeavesOutputsUnchanged() {
        NDArray x = manager.randomNormal(new Shape(4, 6));
        float[] before = forward(x, false);
        LoraAdapters.inject(model, LoraConfig.of(2, "layers\\.\\d+\\.fc"), manager);
        assertArrayEquals(before, forward(x, false), 0f);
    }

    @Test
    void aTrainingStepChangesOnlyAdapterFactors() {
        LoraLayout layout = LoraAdapters.inject(model, LoraConfig.of(2, "layers\\.0\\.fc"), manager);
        LoraLinear first = LoraAdapters.adaptedLayers(model).get(0);
        LoraLinear second = LoraAdapters.linearLayers(model).get(1);
        float[] w0 = first.weight().toFloatArray();
        float[] b0 = first.bias().toFloatArray();
        float[] w1 = second.weight().toFloatArray();
        float[] adapterBefore = LoraAdapters.flatten(model, layout);
        NDArray x = manager.randomNormal(new Shape(4, 6));
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = model.forward(new ParameterStore(manager, false), new NDList(x), true).head();
            gc.backward(y.square().sum());
        }
        model.getParameters().values().stream().filter(p -> p.requiresGradient()).forEach(p ->
                p.getArray().subi(p.getArray().getGradient().mul(0.1f)));
        assertArrayEquals(w0, first.weight().toFloatArray(), 0f);
        assertArrayEquals(b0, first.bias().toFloatArray(), 0f);
        assertArrayEquals(w1, second.weight().toFloatArray(), 0f);
        assertFalse(java.util.Arrays.equals(adapterBefore, LoraAdapters.flatten(model, layout)));
        assertEquals(2, model.getParameters().values().stream().filter(p -> p.requiresGradient()).count());
    }

    @Test
    void mergedAndUnmergedOutputsAgreeAndUnmergeRestoresWeights() {
        LoraLayout layout = LoraAdapters.inject(model, LoraConfig.of(2, ".*fc"), manager);
        float[] vector = new float[layout.size()];
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) random.nextGaussian();
        }
        LoraAdapters.load(model, layout, vector, "test vector");
        NDArray x = manager.randomNormal(new Shape(4, 6));
        float[] unmerged = forward(x, false);
        float[] w = LoraAdapters.linearLayers(model).get(0).weight().toFloatArray();
        LoraAdapters.merge(model);
        assertTrue(LoraAdapters.adaptedLayers(model).get(0).isMerged());
        assertArrayEquals(unmerged, forward(x, false), 1e-4f);
        LoraAdapters.unmerge(model);
        assertArrayEquals(w, LoraAdapters.linearLayers(model).get(0).weight().toFloatArray(), 1e-5f);
        assertArrayEquals(vector, LoraAdapters.flatten(model, layout), 0f);
    }

    @Test
    void aStackOfAdaptersGivesEachGroupOfRowsExactlyItsOwnAdaptersOutput() {
        LoraConfig config = LoraConfig.of(2, "layers\\.\\d+\\.fc");
        LoraLayout layout = LoraAdapters.layoutFor(model, config);
        List<Adapter> adapters = new java.util.ArrayList<>();
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 3; i++) {
            float[] values = new float[layout.size()];
            for (int v = 0; v < values.length; v++) {
                values[v] = (float) random.nextGaussian();
            }
            adapters.add(new Adapter(config, layout, values));
        }
        NDArray x = manager.randomNormal(new Shape(4, 6));
        List<float[]> alone = new java.util.ArrayList<>();
        for (Adapter adapter : adapters) {
            adapter.applyTo(model, manager);
            alone.add(forward(x, false));
            LoraAdapters.detach(model);
        }

        Adapter.applyStackTo(adapters, model, manager);
        float[] stacked = forward(x.tile(new long[] {3, 1}), false);

        for (int i = 0; i < 3; i++) {
            assertArrayEquals(alone.get(i), java.util.Arrays.copyOfRange(stacked, i * 12, (i + 1) * 12), 0f,
                    "group " + i);
        }
        LoraLinear first = LoraAdapters.adaptedLayers(model).get(0);
        assertEquals(3, first.adapterCount());
        assertThrows(IllegalStateException.class, first::merge, "a stack is for inference only");
        IllegalArgumentException uneven = assertThrows(IllegalArgumentException.class,
                () -> forward(manager.randomNormal(new Shape(4, 6)), false));
        assertTrue(uneven.getMessage().contains("carries 3 adapters but its input has 4 rows"), uneven.getMessage());
        LoraAdapters.detach(model);
        assertFalse(first.hasAdapter());
    }

    @Test
    void layoutOrdersLayersNumericallyAndCountsParameters() {
        LoraLayout layout = new LoraLayout(2, 1f, List.of(new LoraLayout.Layer("blocks.10.q", 4, 4),
                new LoraLayout.Layer("blocks.2.q", 3, 5)));
        assertEquals("blocks.2.q", layout.layers().get(0).name());
        assertEquals(2 * (3 + 5) + 2 * (4 + 4), layout.size());
        assertEquals(6, layout.offsetOfB(0));
        assertEquals(16, layout.offsetOfA(1));
        assertEquals("blocks.2.q lora_B[1,0]", layout.describe(8));
        assertEquals(List.of(new LoraLayout.Tensor("blocks.2.q.lora_A", 0, 2, 3),
                new LoraLayout.Tensor("blocks.2.q.lora_B", 6, 5, 2), new LoraLayout.Tensor("blocks.10.q.lora_A", 16, 2, 4),
                new LoraLayout.Tensor("blocks.10.q.lora_B", 24, 4, 2)), layout.tensors());
        assertEquals(layout, LoraLayout.fromJson(layout.toJson()));
    }

    @Test
    void badVectorsAndTargetsAreNamed() {
        LoraLayout layout = LoraAdapters.inject(model, LoraConfig.of(1, ".*fc"), manager);
        IllegalArgumentException wrongLength = assertThrows(IllegalArgumentException.class,
                () -> layout.validate(new float[3], "gen.safetensors"));
        assertTrue(wrongLength.getMessage().startsWith("gen.safetensors: adapter vector has 3 values"));
        float[] withNan = new float[layout.size()];
        withNan[7] = Float.NaN;
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> layout.validate(withNan, "gen.safetensors"));
        assertTrue(nan.getMessage().contains("NaN at index 7 (layers.0.fc lora_B[1,0])"), nan.getMessage());
        IllegalArgumentException noMatch = assertThrows(IllegalArgumentException.class,
                () -> LoraAdapters.inject(model, LoraConfig.of(1, "attn\\.q"), manager));
        assertTrue(noMatch.getMessage().contains("'attn\\.q' matches no layer"));
    }
}
