package org.icmlora.experiments.interop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.icmlora.lora.Adapter;
import org.icmlora.lora.LoraConfig;
import org.icmlora.lora.LoraLayout;

/**
 * A kit GPT adapter rewritten onto GPT-2's own modules, making exactly the same weight changes, so that PEFT can load
 * all of it into {@code GPT2LMHeadModel}.
 *
 * <p>GPT-2 computes q, k and v with one module, {@code attn.c_attn} ([d] to [3d]); the kit has three layers. Their
 * rank-r adapters become one rank-3r adapter of {@code c_attn}: A stacks A_q, A_k, A_v ([3r, d]) and B is
 * block-diagonal ([3d, 3r]), so B A = [B_q A_q; B_k A_k; B_v A_v], the three updates one above the other as c_attn's
 * output is q, k, v. PEFT keeps one rank per adapter, so every other layer ({@code attn.o} to {@code attn.c_proj},
 * {@code mlp.fc} to {@code mlp.c_fc}, {@code mlp.proj} to {@code mlp.c_proj}) is padded to rank 3r with zero rows of
 * A and zero columns of B, which add nothing; alpha grows so that the scale alpha / r (or alpha / sqrt(r) with
 * rsLoRA) stays the same. Layer names of the result are GPT-2's module paths (save it with {@link
 * org.icmlora.lora.PeftNameMap#IDENTITY}); the kit cannot attach it to its own GPT, which has no such layers.
 */
public final class Gpt2Modules {

    private static final Pattern KIT_LAYER = Pattern.compile("blocks\\.(\\d+)\\.(attn\\.[qkvo]|mlp\\.fc|mlp\\.proj)");
    private static final Map<String, String> MODULES = Map.of("attn.o", "attn.c_proj", "mlp.fc", "mlp.c_fc",
            "mlp.proj", "mlp.c_proj");

    private Gpt2Modules() {}

    /** The rank-3r adapter of GPT-2's modules making the weight changes of {@code kit}, an adapter of the kit's GPT. */
    public static Adapter adapter(Adapter kit) {
        LoraConfig config = kit.config();
        LoraLayout layout = kit.layout();
        float[] vector = kit.values();
        int r = layout.rank();
        int fused = 3 * r;
        Map<String, float[][]> modules = new LinkedHashMap<>(); // module path -> {A [3r, in], B [out, 3r]}
        Map<String, int[]> sizes = new LinkedHashMap<>(); // module path -> {in, out}
        for (int i = 0; i < layout.layers().size(); i++) {
            LoraLayout.Layer layer = layout.layers().get(i);
            Matcher m = KIT_LAYER.matcher(layer.name());
            if (!m.matches()) {
                throw new IllegalArgumentException("layer " + layer.name() + " has no GPT-2 module to go to");
            }
            String block = "transformer.h." + m.group(1) + ".";
            String kind = m.group(2);
            boolean qkv = kind.length() == 6 && "qkv".indexOf(kind.charAt(5)) >= 0;
            int part = qkv ? "qkv".indexOf(kind.charAt(5)) : 0;
            String module = block + (qkv ? "attn.c_attn" : MODULES.get(kind));
            int in = layer.inFeatures();
            int out = qkv ? 3 * layer.outFeatures() : layer.outFeatures();
            sizes.putIfAbsent(module, new int[] {in, out});
            float[][] ab = modules.computeIfAbsent(module, k -> new float[][] {new float[fused * in],
                new float[out * fused]});
            int aOffset = layout.offsetOfA(i);
            int bOffset = layout.offsetOfB(i);
            // A rows part*r .. part*r+r-1 take this layer's A [r, in].
            System.arraycopy(vector, aOffset, ab[0], part * r * in, r * in);
            // B rows part*d .. (this layer's output rows), columns part*r .. part*r+r-1 take this layer's B [d, r].
            int d = layer.outFeatures();
            for (int row = 0; row < d; row++) {
                System.arraycopy(vector, bOffset + row * r, ab[1], (part * d + row) * fused + part * r, r);
            }
        }
        List<LoraLayout.Layer> layers = new ArrayList<>();
        sizes.forEach((module, inOut) -> layers.add(new LoraLayout.Layer(module, inOut[0], inOut[1])));
        boolean rsLora = config.scaling() == LoraConfig.Scaling.RANK_STABILIZED;
        float alpha = (float) (config.scale() * (rsLora ? Math.sqrt(fused) : fused));
        LoraConfig fusedConfig = new LoraConfig(fused, alpha, config.scaling(), config.dropout(), config.init(),
                layers.stream().map(l -> Pattern.quote(l.name())).toList());
        LoraLayout fusedLayout = new LoraLayout(fused, fusedConfig.scale(), layers); // orders the layers by name
        float[] values = new float[fusedLayout.size()];
        for (int i = 0; i < fusedLayout.layers().size(); i++) {
            float[][] ab = modules.get(fusedLayout.layers().get(i).name());
            System.arraycopy(ab[0], 0, values, fusedLayout.offsetOfA(i), ab[0].length);
            System.arraycopy(ab[1], 0, values, fusedLayout.offsetOfB(i), ab[1].length);
        }
        return new Adapter(fusedConfig, fusedLayout, values);
    }
}
