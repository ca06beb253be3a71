package org.icmlora.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stacked mean is the exact mean weight change, attached to a model through the ordinary path. */
class StackedMeanTest {

    private NDManager manager;

    @BeforeEach
    void engine() {
        KitEngine.init(1);
        manager = KitEngine.newManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static List<Adapter> randomAdapters(LoraConfig config, LoraLayout layout, int n, long seed) {
        Random random = new Random(seed);
        List<Adapter> adapters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] values = new float[layout.size()];
            for (int j = 0; j < values.length; j++) {
                values[j] = (float) random.nextGaussian();
            }
            adapters.add(new Adapter(config, layout, values));
        }
        return adapters;
    }

    /** s B A of every adapted layer of the toy transformer with {@code adapter} attached. */
    private float[][] deltas(Adapter adapter) {
        SequentialBlock model = LoraAdaptersTest.toyTransformer();
        model.initialize(manager, DataType.FLOAT32, new Shape(1, LoraAdaptersTest.D));
        adapter.applyTo(model, manager);
        return LoraAdapters.adaptedLayers(model).stream().map(l -> l.delta().toFloatArray()).toArray(float[][]::new);
    }

    @Test
    void attachedItChangesEveryLayerByTheMeanOfTheAdaptersChanges() {
        for (LoraConfig.Scaling scaling : LoraConfig.Scaling.values()) {
            LoraConfig config = LoraConfig.of(2, ".*mlp.*", "blocks\\.1\\.attn\\.q").withScaling(scaling);
            LoraLayout layout = LoraAdapters.layoutFor(LoraAdaptersTest.toyTransformer(), config);
            List<Adapter> adapters = randomAdapters(config, layout, 3, 11);
            Adapter mean = StackedMean.of(adapters);
            assertEquals(6, mean.layout().rank());
            assertEquals(3 * layout.size(), mean.size());

            float[][] expected = deltas(adapters.get(0));
            for (int i = 1; i < adapters.size(); i++) {
                float[][] next = deltas(adapters.get(i));
                for (int l = 0; l < expected.length; l++) {
                    for (int j = 0; j < expected[l].length; j++) {
                        expected[l][j] += next[l][j];
                    }
                }
            }
            float[][] actual = deltas(mean);
            for (int l = 0; l < expected.length; l++) {
                for (int j = 0; j < expected[l].length; j++) {
                    expected[l][j] /= adapters.size();
                }
                assertArrayEquals(expected[l], actual[l], 1e-4f, scaling + " layer " + l);
            }
        }
    }

    @Test
    void theMeanOfOneAdapterActsAsThatAdapter() {
        LoraConfig config = LoraConfig.of(2, ".*attn.*");
        LoraLayout layout = LoraAdapters.layoutFor(LoraAdaptersTest.toyTransformer(), config);
        Adapter only = randomAdapters(config, layout, 1, 3).get(0);
        assertArrayEquals(only.values(), StackedMean.of(List.of(only)).values(), 0f);
    }

    @Test
    void refusesNothingAndMixedLayouts() {
        assertThrows(IllegalArgumentException.class, () -> StackedMean.of(List.of()));
        LoraConfig config = LoraConfig.of(1, ".*attn.*");
        LoraLayout layout = LoraAdapters.layoutFor(LoraAdaptersTest.toyTransformer(), config);
        LoraConfig other = LoraConfig.of(2, ".*attn.*");
        LoraLayout otherLayout = LoraAdapters.layoutFor(LoraAdaptersTest.toyTransformer(), other);
        List<Adapter> mixed = List.of(randomAdapters(config, layout, 1, 1).get(0),
                randomAdapters(other, otherLayout, 1, 2).get(0));
        assertThrows(IllegalArgumentException.class, () -> StackedMean.of(mixed));
    }
}
