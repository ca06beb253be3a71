package org.icmlora.models.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.icmlora.store.AtomicFiles;

/**
 * Saves and loads the base weights of a {@link Gpt} as safetensors (float32).
 *
 * <p>Kit files use the kit names of {@link Gpt#namedWeights()}. {@link #loadGpt2Style} reads a checkpoint of the same
 * architecture written with GPT-2's names (optionally prefixed {@code transformer.}), mapped as follows
 * (GPT-2's {@code Conv1D} stores weights as [in, out], the kit as [out, in], so those are transposed):
 *
 * <pre>
 * wte.weight                      -> tok_emb                     [V, d]
 * wpe.weight                      -> pos_emb                     [C, d]  (first C rows when the file has more)
 * h.i.ln_1.{weight,bias}          -> blocks.i.ln1.{gamma,beta}
 * h.i.attn.c_attn.{weight,bias}   -> blocks.i.attn.{q,k,v}.{weight,bias}   split in three along "out", transposed
 * h.i.attn.c_proj.{weight,bias}   -> blocks.i.attn.o.{weight,bias}         transposed
 * h.i.ln_2.{weight,bias}          -> blocks.i.ln2.{gamma,beta}
 * h.i.mlp.c_fc.{weight,bias}      -> blocks.i.mlp.fc.{weight,bias}         transposed
 * h.i.mlp.c_proj.{weight,bias}    -> blocks.i.mlp.proj.{weight,bias}       transposed
 * ln_f.{weight,bias}              -> ln_f.{gamma,beta}
 * lm_head.weight                  -> head.weight (untied models only; tied models ignore it)
 * h.i.attn.bias, h.i.attn.masked_bias (GPT-2's mask buffers) are ignored.
 * </pre>
 * GPT-2 itself uses the tanh approximation of GELU; the kit's GELU is DJL's, so real GPT-2 weights load exactly but
 * their outputs can differ in the last digits.
 */
public final class GptWeights {

    private static final Pattern GPT2_BLOCK = Pattern.compile("h\\.(\\d+)\\.(.+)");

    private GptWeights() {}

    /** Writes every base weight of {@code model} under its kit name (atomically). */
    public static void save(Gpt model, Path file) {
        NDList list = new NDList();
        model.namedWeights().forEach((name, p) -> {
            NDArray copy = p.getArray().duplicate();
            copy.setName(name);
            list.add(copy);
        });
        AtomicFiles.write(file, out -> list.encode(out, NDList.Encoding.SAFETENSORS));
        list.close();
    }

    /** Loads a kit file written by {@link #save}: every weight must be present with the right shape. */
    public static void load(Gpt model, Path file) {
        try (NDManager manager = NDManager.newBaseManager(model.namedWeights().values().iterator().next().getArray()
                .getDevice())) {
            Map<String, NDArray> tensors = read(file, manager);
            for (var entry : model.namedWeights().entrySet()) {
                assign(entry.getValue(), entry.getKey(), require(tensors, entry.getKey(), file), file);
            }
            TreeSet<String> extra = new TreeSet<>(tensors.keySet());
            extra.removeAll(model.namedWeights().keySet());
            if (!extra.isEmpty()) {
                throw new IllegalArgumentException(file + " holds tensors this model does not have: " + extra
                        + "; it was saved from another configuration");
            }
        }
    }

    /** Loads a checkpoint with GPT-2 names (see the class comment for the map). */
    public static void loadGpt2Style(Gpt model, Path file) {
        Map<String, Parameter> kit = model.namedWeights();
        int d = model.config().width();
        try (NDManager manager = NDManager.newBaseManager(kit.get("tok_emb").getArray().getDevice())) {
            Map<String, NDArray> raw = read(file, manager);
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            raw.forEach((name, t) -> tensors.put(name.startsWith("transformer.") ? name.substring(12) : name, t));
            Map<String, NDArray> mapped = new LinkedHashMap<>();
            for (var entry : tensors.entrySet()) {
                String name = entry.getKey();
                NDArray t = entry.getValue();
                Matcher block = GPT2_BLOCK.matcher(name);
                if (name.equals("wte.weight")) {
                    mapped.put("tok_emb", t);
                } else if (name.equals("wpe.weight")) {
                    mapped.put("pos_emb", t.get(":" + model.config().contextLength()));
                } else if (name.equals("ln_f.weight") || name.equals("ln_f.bias")) {
                    mapped.put(name.endsWith("weight") ? "ln_f.gamma" : "ln_f.beta", t);
                } else if (name.equals("lm_head.weight")) {
                    if (!model.config().tiedHead()) {
                        mapped.put("head.weight", t);
                    }
                } else if (block.matches()) {
                    mapBlock("blocks." + block.group(1) + ".", block.group(2), t, d, mapped);
                } else {
                    throw new IllegalArgumentException(file + ": tensor " + name + " has no place in the kit's GPT");
                }
            }
            for (var entry : kit.entrySet()) {
                assign(entry.getValue(), entry.getKey(), require(mapped, entry.getKey(), file), file);
            }
        }
    }

    private static void mapBlock(String prefix, String rest, NDArray t, int d, Map<String, NDArray> mapped) {
        switch (rest) {
            case "ln_1.weight" -> mapped.put(prefix + "ln1.gamma", t);
            case "ln_1.bias" -> mapped.put(prefix + "ln1.beta", t);
            case "ln_2.weight" -> mapped.put(prefix + "ln2.gamma", t);
            case "ln_2.bias" -> mapped.put(prefix + "ln2.beta", t);
            case "attn.c_attn.weight" -> {
                String[] names = {"q", "k", "v"};
                for (int i = 0; i < 3; i++) {
                    mapped.put(prefix + "attn." + names[i] + ".weight",
                            t.get(":, " + i * d + ":" + (i + 1) * d).transpose());
                }
            }
            case "attn.c_attn.bias" -> {
                String[] names = {"q", "k", "v"};
                for (int i = 0; i < 3; i++) {
                    mapped.put(prefix + "attn." + names[i] + ".bias", t.get(i * d + ":" + (i + 1) * d));
                }
            }
            case "attn.c_proj.weight" -> mapped.put(prefix + "attn.o.weight", t.transpose());
            case "attn.c_proj.bias" -> mapped.put(prefix + "attn.o.bias", t);
            case "mlp.c_fc.weight" -> mapped.put(prefix + "mlp.fc.weight", t.transpose());
            case "mlp.c_fc.bias" -> mapped.put(prefix + "mlp.fc.bias", t);
            case "mlp.c_proj.weight" -> mapped.put(prefix + "mlp.proj.weight", t.transpose());
            case "mlp.c_proj.bias" -> mapped.put(prefix + "mlp.proj.bias", t);
            case "attn.bias", "attn.masked_bias" -> { } // GPT-2's causal-mask buffers
            default -> throw new IllegalArgumentException("GPT-2 tensor " + prefix + rest
                    + " has no place in the kit's GPT");
        }
    }

    private static Map<String, NDArray> read(Path file, NDManager manager) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("weights file " + file + " does not exist");
        }
        try (InputStream in = Files.newInputStream(file)) {
            NDList list = NDList.decode(manager, in);
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (NDArray t : list) {
                tensors.put(t.getName(), t);
            }
            return tensors;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read weights file " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a readable safetensors file: " + e.getMessage(), e);
        }
    }

    private static NDArray require(Map<String, NDArray> tensors, String name, Path file) {
        NDArray t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(file + " has no tensor for " + name + "; it holds " + tensors.keySet());
        }
        return t;
    }

    private static void assign(Parameter parameter, String name, NDArray value, Path file) {
        NDArray target = parameter.getArray();
        if (!target.getShape().equals(value.getShape())) {
            throw new IllegalArgumentException(file + ": tensor for " + name + " has shape " + value.getShape()
                    + " but the model needs " + target.getShape());
        }
        target.set(value.toType(target.getDataType(), false).toFloatArray());
    }
}
