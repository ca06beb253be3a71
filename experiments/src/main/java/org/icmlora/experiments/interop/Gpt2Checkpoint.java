package org.icmlora.experiments.interop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.icmlora.models.gpt.Gpt;
import org.icmlora.models.gpt.GptConfig;
import org.icmlora.models.gpt.GptWeights;
import org.icmlora.store.AtomicFiles;

/**
 * Writes a kit {@link Gpt} as a Hugging Face GPT-2 checkpoint ({@code model.safetensors} + {@code config.json}), the
 * inverse of the map in {@link GptWeights}: q, k and v are concatenated into {@code attn.c_attn} and every projection
 * is transposed into GPT-2's [in, out] {@code Conv1D} layout. The config asks for the exact (erf) GELU the kit uses
 * ({@code activation_function "gelu"}; GPT-2's own default is the tanh approximation) and ties the output layer to the
 * token embedding, so {@code GPT2LMHeadModel.from_pretrained(dir)} computes the kit's function.
 */
public final class Gpt2Checkpoint {

    /** The weights file's name. */
    public static final String WEIGHTS_FILE = "model.safetensors";
    /** The configuration file's name. */
    public static final String CONFIG_FILE = "config.json";

    private Gpt2Checkpoint() {}

    /** Writes {@code model}'s base weights (any adapter left out) into {@code dir}. */
    public static void write(Gpt model, Path dir) {
        GptConfig config = model.config();
        if (!config.tiedHead()) {
            throw new IllegalArgumentException("only a GPT with a tied output layer has GPT-2's layout");
        }
        Map<String, Parameter> kit = model.namedWeights();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList tensors = new NDList();
            add(tensors, "transformer.wte.weight", kit.get("tok_emb").getArray(), manager);
            add(tensors, "transformer.wpe.weight", kit.get("pos_emb").getArray(), manager);
            for (int i = 0; i < config.layers(); i++) {
                String k = "blocks." + i + ".";
                String h = "transformer.h." + i + ".";
                add(tensors, h + "ln_1.weight", kit.get(k + "ln1.gamma").getArray(), manager);
                add(tensors, h + "ln_1.bias", kit.get(k + "ln1.beta").getArray(), manager);
                NDArray qkvWeight = NDArrays.concat(new NDList(kit.get(k + "attn.q.weight").getArray(),
                        kit.get(k + "attn.k.weight").getArray(), kit.get(k + "attn.v.weight").getArray()), 0);
                add(tensors, h + "attn.c_attn.weight", qkvWeight.transpose(), manager);
                add(tensors, h + "attn.c_attn.bias", NDArrays.concat(new NDList(kit.get(k + "attn.q.bias").getArray(),
                        kit.get(k + "attn.k.bias").getArray(), kit.get(k + "attn.v.bias").getArray()), 0), manager);
                add(tensors, h + "attn.c_proj.weight", kit.get(k + "attn.o.weight").getArray().transpose(), manager);
                add(tensors, h + "attn.c_proj.bias", kit.get(k + "attn.o.bias").getArray(), manager);
                add(tensors, h + "ln_2.weight", kit.get(k + "ln2.gamma").getArray(), manager);
                add(tensors, h + "ln_2.bias", kit.get(k + "ln2.beta").getArray(), manager);
                add(tensors, h + "mlp.c_fc.weight", kit.get(k + "mlp.fc.weight").getArray().transpose(), manager);
                add(tensors, h + "mlp.c_fc.bias", kit.get(k + "mlp.fc.bias").getArray(), manager);
                add(tensors, h + "mlp.c_proj.weight", kit.get(k + "mlp.proj.weight").getArray().transpose(), manager);
                add(tensors, h + "mlp.c_proj.bias", kit.get(k + "mlp.proj.bias").getArray(), manager);
            }
            add(tensors, "transformer.ln_f.weight", kit.get("ln_f.gamma").getArray(), manager);
            add(tensors, "transformer.ln_f.bias", kit.get("ln_f.beta").getArray(), manager);
            AtomicFiles.write(dir.resolve(WEIGHTS_FILE), out -> tensors.encode(out, NDList.Encoding.SAFETENSORS));
        }
        AtomicFiles.writeString(dir.resolve(CONFIG_FILE),
                new GsonBuilder().serializeNulls().setPrettyPrinting().create().toJson(configJson(config)));
    }

    /** A row-major float32 copy of {@code value} on {@code manager}, named as in GPT-2's checkpoints. */
    private static void add(NDList tensors, String name, NDArray value, NDManager manager) {
        NDArray copy = manager.create(value.toFloatArray(), value.getShape());
        copy.setName(name);
        tensors.add(copy);
    }

    private static JsonObject configJson(GptConfig config) {
        JsonObject json = new JsonObject();
        json.addProperty("model_type", "gpt2");
        JsonArray architectures = new JsonArray();
        architectures.add("GPT2LMHeadModel");
        json.add("architectures", architectures);
        json.addProperty("vocab_size", config.vocabSize());
        json.addProperty("n_positions", config.contextLength());
        json.addProperty("n_embd", config.width());
        json.addProperty("n_layer", config.layers());
        json.addProperty("n_head", config.heads());
        json.addProperty("activation_function", "gelu");
        json.addProperty("layer_norm_epsilon", 1e-5);
        json.addProperty("tie_word_embeddings", true);
        json.addProperty("resid_pdrop", 0.0);
        json.addProperty("embd_pdrop", 0.0);
        json.addProperty("attn_pdrop", 0.0);
        json.add("bos_token_id", JsonNull.INSTANCE); // GPT-2's 50256 lies outside a byte vocabulary
        json.add("eos_token_id", JsonNull.INSTANCE);
        return json;
    }
}
