package org.icmlora.experiments.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.icmlora.lora.Adapter;
import org.icmlora.lora.LoraConfig;
import org.icmlora.lora.LoraLayout;
import org.junit.jupiter.api.Test;

/** The GPT-2 form of an adapter makes the same weight change, scale included, in every GPT-2 module. */
class Gpt2ModulesTest {

    private static final int D = 4;
    private static final int R = 2;

    @Test
    void fusedAdapterMakesTheSameWeightChanges() {
        List<LoraLayout.Layer> layers = List.of(new LoraLayout.Layer("blocks.0.attn.q", D, D),
                new LoraLayout.Layer("blocks.0.attn.k", D, D), new LoraLayout.Layer("blocks.0.attn.v", D, D),
                new LoraLayout.Layer("blocks.0.attn.o", D, D), new LoraLayout.Layer("blocks.0.mlp.fc", D, 4 * D),
                new LoraLayout.Layer("blocks.0.mlp.proj", 4 * D, D));
        for (LoraConfig.Scaling scaling : LoraConfig.Scaling.values()) {
            LoraConfig config = new LoraConfig(R, 5f, scaling, 0f, LoraConfig.Init.KAIMING_UNIFORM, List.of(".*"));
            LoraLayout layout = new LoraLayout(R, config.scale(), layers);
            float[] vector = new float[layout.size()];
            Random random = new Random(3);
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) random.nextGaussian();
            }
            Adapter gpt2 = Gpt2Modules.adapter(new Adapter(config, layout, vector));

            assertEquals(3 * R, gpt2.layout().rank());
            assertEquals(List.of("transformer.h.0.attn.c_attn", "transformer.h.0.attn.c_proj",
                    "transformer.h.0.mlp.c_fc", "transformer.h.0.mlp.c_proj"),
                    gpt2.layout().layers().stream().map(LoraLayout.Layer::name).toList());
            assertEquals(config.scale(), gpt2.config().scale(), 1e-6f);
            double[][] cAttn = delta(gpt2.layout(), gpt2.values(), "transformer.h.0.attn.c_attn", gpt2.config().scale());
            for (int part = 0; part < 3; part++) { // q, k, v one above the other
                double[][] expected = delta(layout, vector, "blocks.0.attn." + "qkv".charAt(part), config.scale());
                for (int row = 0; row < D; row++) {
                    for (int col = 0; col < D; col++) {
                        assertEquals(expected[row][col], cAttn[part * D + row][col], 1e-5, scaling + " part " + part);
                    }
                }
            }
            for (String[] pair : new String[][] {{"attn.o", "attn.c_proj"}, {"mlp.fc", "mlp.c_fc"},
                {"mlp.proj", "mlp.c_proj"}}) { // padded to rank 3r
                double[][] expected = delta(layout, vector, "blocks.0." + pair[0], config.scale());
                double[][] actual = delta(gpt2.layout(), gpt2.values(), "transformer.h.0." + pair[1],
                        gpt2.config().scale());
                for (int row = 0; row < expected.length; row++) {
                    for (int col = 0; col < expected[0].length; col++) {
                        assertEquals(expected[row][col], actual[row][col], 1e-5, pair[0]);
                    }
                }
            }
        }
    }

    /** scale * B A of the named layer: [out, in]. */
    private static double[][] delta(LoraLayout layout, float[] vector, String name, float scale) {
        int i = layout.indexOf(name);
        LoraLayout.Layer layer = layout.layers().get(i);
        int r = layout.rank();
        double[][] out = new double[layer.outFeatures()][layer.inFeatures()];
        for (int row = 0; row < layer.outFeatures(); row++) {
            for (int col = 0; col < layer.inFeatures(); col++) {
                double sum = 0;
                for (int k = 0; k < r; k++) {
                    sum += vector[layout.offsetOfB(i) + row * r + k]
                            * vector[layout.offsetOfA(i) + k * layer.inFeatures() + col];
                }
                out[row][col] = scale * sum;
            }
        }
        return out;
    }
}
