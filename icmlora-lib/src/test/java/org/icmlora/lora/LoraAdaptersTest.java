package org.icmlora.lora;

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
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Layouts computed without training, detaching, and loading a vector into the wrong model. */
class LoraAdaptersTest {

    /** Width of the toy transformer below. */
    static final int D = 8;

    private NDManager manager;

    @BeforeEach
    void engine() {
        KitEngine.init(1);
        KitEngine.seed(5);
        manager = KitEngine.newManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Two transformer-shaped blocks named as the kit's GPT names them: attention q,k,v,o and an MLP fc, proj. */
    static SequentialBlock toyTransformer() {
        SequentialBlock model = new SequentialBlock();
        for (int b = 0; b < 2; b++) {
            for (String p : List.of("q", "k", "v", "o")) {
                model.add(new LoraLinear("blocks." + b + ".attn." + p, D, D, true));
            }
            model.add(new LoraLinear("blocks." + b + ".mlp.fc", D, 4 * D, true));
            model.add(new LoraLinear("blocks." + b + ".mlp.proj", 4 * D, D, true));
        }
        return model;
    }

    @Test
    void layoutForCountsParametersWithoutInitialisingTheModel() {
        SequentialBlock model = toyTransformer();
        for (int r : new int[] {1, 2, 4, 8}) {
            LoraLayout qv = LoraAdapters.layoutFor(model, LoraConfig.of(r, "blocks\\.\\d+\\.attn\\.(q|v)"));
            assertEquals(2 * 2 * r * (D + D), qv.size());
            assertEquals(List.of("blocks.0.attn.q", "blocks.0.attn.v", "blocks.1.attn.q", "blocks.1.attn.v"),
                    qv.layers().stream().map(LoraLayout.Layer::name).toList());
            LoraLayout all = LoraAdapters.layoutFor(model, LoraConfig.of(r, ".*"));
            assertEquals(2 * r * (4 * 2 * D + (D + 4 * D) + (4 * D + D)), all.size());
        }
    }

    @Test
    void layoutForAgreesWithInjection() {
        SequentialBlock model = toyTransformer();
        LoraConfig config = LoraConfig.of(2, ".*mlp.*", "blocks\\.1\\.attn\\.o");
        LoraLayout planned = LoraAdapters.layoutFor(model, config);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, D));
        assertEquals(planned, LoraAdapters.inject(model, config, manager));
    }

    @Test
    void detachRestoresTheBaseModelAndAllowsAnotherRank() {
        SequentialBlock model = toyTransformer();
        model.initialize(manager, DataType.FLOAT32, new Shape(1, D));
        NDArray x = manager.randomNormal(new Shape(3, D));
        float[] base = forward(model, x);
        LoraLayout layout = LoraAdapters.inject(model, LoraConfig.of(2, ".*attn.*"), manager);
        LoraAdapters.load(model, layout, gaussian(layout.size()), "test");
        LoraAdapters.merge(model);
        assertFalse(java.util.Arrays.equals(base, forward(model, x)));
        LoraAdapters.detach(model);
        assertTrue(LoraAdapters.adaptedLayers(model).isEmpty());
        assertArrayEquals(base, forward(model, x), 1e-3f); // outputs are about 30: float rounding of merge/unmerge
        assertEquals(0, model.getParameters().values().stream().filter(p -> p.getName().startsWith("lora")).count());
        LoraLayout rank4 = LoraAdapters.inject(model, LoraConfig.of(4, ".*attn.*"), manager);
        assertEquals(2 * layout.size(), rank4.size());
    }

    @Test
    void aVectorForAnotherLayoutIsRefusedWithTheDifference() {
        SequentialBlock model = toyTransformer();
        model.initialize(manager, DataType.FLOAT32, new Shape(1, D));
        LoraAdapters.inject(model, LoraConfig.of(2, ".*attn\\.q"), manager);
        LoraLayout otherTargets = LoraAdapters.layoutFor(toyTransformer(), LoraConfig.of(2, ".*attn\\.v"));
        IllegalArgumentException names = assertThrows(IllegalArgumentException.class,
                () -> LoraAdapters.load(model, otherTargets, new float[otherTargets.size()], "gen-3"));
        assertEquals("the model's adapted layers [blocks.0.attn.q, blocks.1.attn.q] differ from the layout's "
                + "[blocks.0.attn.v, blocks.1.attn.v]", names.getMessage());
        LoraLayout otherRank = LoraAdapters.layoutFor(toyTransformer(), LoraConfig.of(1, ".*attn\\.q"));
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> LoraAdapters.load(model, otherRank, new float[otherRank.size()], "gen-3"));
        assertTrue(rank.getMessage().startsWith("layer blocks.0.attn.q (rank 2, 8 -> 8) does not fit"),
                rank.getMessage());
    }

    private static float[] gaussian(int size) {
        java.util.Random random = new java.util.Random(2);
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private float[] forward(SequentialBlock model, NDArray x) {
        return model.forward(new ParameterStore(manager, false), new NDList(x), false).head().toFloatArray();
    }
}
