package org.icmlora.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.api.Test;

/** Cosine and relative error of adapters, per tensor, per layer update and whole, on hand-computed cases. */
class WeightFidelityTest {

    /** Rank 1, s = 2: layer "a" 2 -> 1 (A [1, 2], B [1, 1]), layer "b" 1 -> 2 (A [1, 1], B [2, 1]); P = 6. */
    private static final LoraConfig CONFIG = LoraConfig.of(1, "a", "b");
    private static final LoraLayout LAYOUT = new LoraLayout(1, CONFIG.scale(),
            List.of(new LoraLayout.Layer("a", 2, 1), new LoraLayout.Layer("b", 1, 2)));

    private static Adapter adapter(float... values) {
        return new Adapter(CONFIG, LAYOUT, values);
    }

    @Test
    void perTensorFollowsTheFlatVectorOrderWithHandComputedFigures() {
        // a.lora_A = (1, 0), a.lora_B = (2), b.lora_A = (3), b.lora_B = (0, 4)
        Adapter reference = adapter(1, 0, 2, 3, 0, 4);
        // a.lora_A orthogonal, a.lora_B doubled, b.lora_A negated, b.lora_B = (3, 4): cos 4/5, error 3/4
        Adapter candidate = adapter(0, 1, 4, -3, 3, 4);
        List<WeightFidelity.Entry> entries = WeightFidelity.perTensor(candidate, reference);
        assertEquals(List.of("a.lora_A", "a.lora_B", "b.lora_A", "b.lora_B"),
                entries.stream().map(WeightFidelity.Entry::name).toList());
        assertEquals(List.of(2, 1, 1, 2), entries.stream().map(WeightFidelity.Entry::size).toList());
        assertEntry(entries.get(0), 0.0, Math.sqrt(2));
        assertEntry(entries.get(1), 1.0, 1.0);
        assertEntry(entries.get(2), -1.0, 2.0);
        assertEntry(entries.get(3), 0.8, 0.75);
    }

    @Test
    void identicalAdaptersAgreeEverywhere() {
        Adapter adapter = adapter(0.5f, -1, 2, 3, 0.25f, 4);
        for (WeightFidelity.Entry e : WeightFidelity.perTensor(adapter, adapter)) {
            assertEntry(e, 1.0, 0.0);
        }
        for (WeightFidelity.Entry e : WeightFidelity.perLayerUpdate(adapter, adapter)) {
            assertEntry(e, 1.0, 0.0);
        }
        assertEntry(WeightFidelity.whole(adapter, adapter), 1.0, 0.0);
    }

    @Test
    void layerUpdatesAreScaledProductsAndIgnoreHowTheFactorsSplit() {
        Adapter reference = adapter(1, 2, 3, 5, 7, 11);
        // dW of a = s B A = 2 * 3 * (1, 2); dW of b = 2 * (7, 11)^T * 5
        assertArrayEquals(new float[] {6, 12}, WeightFidelity.update(reference, 0));
        assertArrayEquals(new float[] {70, 110}, WeightFidelity.update(reference, 1));
        // the same updates from other factors (A times 2, B halved; A times -1, B times -1): identical dW
        Adapter refactored = adapter(2, 4, 1.5f, -5, -7, -11);
        for (WeightFidelity.Entry e : WeightFidelity.perLayerUpdate(refactored, reference)) {
            assertEntry(e, 1.0, 0.0);
        }
        assertTrue(WeightFidelity.whole(refactored, reference).relativeError() > 0.5);
        assertEquals(List.of("a.delta", "b.delta"),
                WeightFidelity.perLayerUpdate(refactored, reference).stream().map(WeightFidelity.Entry::name).toList());
    }

    @Test
    void layerUpdateAgreesWithTheLayersOwnDelta() {
        KitEngine.init(1);
        try (NDManager manager = KitEngine.newManager()) {
            LoraLinear layer = new LoraLinear("layer", 5, 3, true);
            layer.initialize(manager, DataType.FLOAT32, new Shape(1, 5));
            LoraConfig config = LoraConfig.of(2, "layer");
            layer.attach(config, manager);
            Random random = new Random(3);
            float[] a = new float[2 * 5];
            float[] b = new float[3 * 2];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) random.nextGaussian();
            }
            layer.setAdapter(a, b);
            Adapter adapter = Adapter.of(layer, config);
            assertArrayEquals(layer.delta().toFloatArray(), WeightFidelity.update(adapter, 0), 1e-5f);
        }
    }

    @Test
    void undefinedFiguresAreNaN() {
        Adapter zeros = adapter(0, 0, 0, 0, 0, 0);
        Adapter some = adapter(1, 1, 1, 1, 1, 1);
        WeightFidelity.Entry againstZeros = WeightFidelity.whole(some, zeros);
        assertTrue(Double.isNaN(againstZeros.cosine()));
        assertTrue(Double.isNaN(againstZeros.relativeError()));
        WeightFidelity.Entry fromZeros = WeightFidelity.whole(zeros, some);
        assertTrue(Double.isNaN(fromZeros.cosine()));
        assertEquals(1.0, fromZeros.relativeError(), 1e-12);
    }

    @Test
    void adaptersOfDifferentLayoutsAreRefused() {
        LoraConfig rank2 = CONFIG.withRank(2);
        Adapter other = new Adapter(rank2, new LoraLayout(2, rank2.scale(), LAYOUT.layers()), new float[12]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightFidelity.perTensor(other, adapter(1, 0, 2, 3, 0, 4)));
        assertTrue(e.getMessage().contains("different layouts"), e.getMessage());
    }

    private static void assertEntry(WeightFidelity.Entry entry, double cosine, double relativeError) {
        assertEquals(cosine, entry.cosine(), 1e-6, entry.name() + " cosine");
        assertEquals(relativeError, entry.relativeError(), 1e-6, entry.name() + " relative error");
    }
}
