package org.icmlora.lora;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How the kit's layer names become module paths in a PEFT export and back. A PEFT key is
 * {@code base_model.model.<module path>.lora_A.weight}; the module path is {@code toPeft} applied to the kit's layer
 * name, and {@code toKit} must undo it ({@link AdapterFiles} checks that for every layer it writes).
 *
 * <p>{@link #IDENTITY} (the default) keeps the kit's names. {@link #gpt2()} renames the kit's GPT layers to the
 * module paths of Hugging Face's GPT-2 ({@code GPT2LMHeadModel}):
 * <pre>
 *   kit layer name          PEFT module path
 *   blocks.&lt;i&gt;.attn.q       transformer.h.&lt;i&gt;.attn.q_proj   (*)
 *   blocks.&lt;i&gt;.attn.k       transformer.h.&lt;i&gt;.attn.k_proj   (*)
 *   blocks.&lt;i&gt;.attn.v       transformer.h.&lt;i&gt;.attn.v_proj   (*)
 *   blocks.&lt;i&gt;.attn.o       transformer.h.&lt;i&gt;.attn.c_proj
 *   blocks.&lt;i&gt;.mlp.fc       transformer.h.&lt;i&gt;.mlp.c_fc
 *   blocks.&lt;i&gt;.mlp.proj     transformer.h.&lt;i&gt;.mlp.c_proj
 *   head                    lm_head
 * </pre>
 * (*) GPT-2 computes q, k and v with one fused layer {@code attn.c_attn} ([in, 3 x out]); the kit's separate q, k, v
 * adapters have no single GPT-2 counterpart, so they keep their own names in the {@code *_proj} style. PEFT loads such
 * a file into {@code GPT2LMHeadModel} without a warning and leaves those three adapters out (measured: 3 of 6
 * modules adapted). To carry a whole adapter into GPT-2, rewrite it onto c_attn first
 * ({@code org.icmlora.experiments.interop.Gpt2Modules}). A layer name
 * no rule matches passes through unchanged. Give your own pair of functions for other models.
 *
 * @param toPeft kit layer name to PEFT module path
 * @param toKit  PEFT module path to kit layer name
 */
public record PeftNameMap(Function<String, String> toPeft, Function<String, String> toKit) {

    /** Module paths equal the kit's layer names. */
    public static final PeftNameMap IDENTITY = new PeftNameMap(Function.identity(), Function.identity());

    /** One renaming: a kit pattern with its PEFT replacement, and the reverse. */
    private record Rule(Pattern kit, String peft, Pattern peftPattern, String kitReplacement) {
        static Rule of(String kit, String peft, String peftPattern, String kitReplacement) {
            return new Rule(Pattern.compile(kit), peft, Pattern.compile(peftPattern), kitReplacement);
        }
    }

    private static final List<Rule> GPT2 = List.of(
            Rule.of("^blocks\\.(\\d+)\\.attn\\.(q|k|v)$", "transformer.h.$1.attn.$2_proj",
                    "^transformer\\.h\\.(\\d+)\\.attn\\.(q|k|v)_proj$", "blocks.$1.attn.$2"),
            Rule.of("^blocks\\.(\\d+)\\.attn\\.o$", "transformer.h.$1.attn.c_proj",
                    "^transformer\\.h\\.(\\d+)\\.attn\\.c_proj$", "blocks.$1.attn.o"),
            Rule.of("^blocks\\.(\\d+)\\.mlp\\.fc$", "transformer.h.$1.mlp.c_fc",
                    "^transformer\\.h\\.(\\d+)\\.mlp\\.c_fc$", "blocks.$1.mlp.fc"),
            Rule.of("^blocks\\.(\\d+)\\.mlp\\.proj$", "transformer.h.$1.mlp.c_proj",
                    "^transformer\\.h\\.(\\d+)\\.mlp\\.c_proj$", "blocks.$1.mlp.proj"),
            Rule.of("^head$", "lm_head", "^lm_head$", "head"));

    /** The kit-GPT to GPT-2 renaming of the table above. */
    public static PeftNameMap gpt2() {
        return new PeftNameMap(name -> apply(name, true), path -> apply(path, false));
    }

    private static String apply(String name, boolean toPeft) {
        for (Rule rule : GPT2) {
            var matcher = (toPeft ? rule.kit() : rule.peftPattern()).matcher(name);
            if (matcher.matches()) {
                return matcher.replaceAll(toPeft ? rule.peft() : rule.kitReplacement());
            }
        }
        return name;
    }
}
