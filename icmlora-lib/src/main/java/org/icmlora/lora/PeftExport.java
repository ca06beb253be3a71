package org.icmlora.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.icmlora.engine.KitEngine;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.CorruptArtifactException;

/**
 * Writes an adapter the way Hugging Face PEFT saves a LoRA adapter, so that standard tools can open a generated
 * adapter, and reads such a directory back.
 *
 * <p>The directory holds {@code adapter_model.safetensors}, with per adapted layer the float32 tensors
 * {@code base_model.model.<module path>.lora_A.weight} [r, in] and {@code ...lora_B.weight} [out, r], and
 * {@code adapter_config.json} with {@code peft_type "LORA"}, {@code r}, {@code lora_alpha}, {@code lora_dropout},
 * {@code target_modules} (the full module paths of the adapted layers), {@code use_rslora} (true for
 * {@link LoraConfig.Scaling#RANK_STABILIZED}), {@code init_lora_weights} ({@code true} for Kaiming-uniform,
 * {@code "gaussian"}), {@code bias "none"}, {@code task_type} and {@code base_model_name_or_path} (the kit's model id).
 * The module path is the kit's layer name mapped through a {@link PeftNameMap} (identity by default; see
 * {@link PeftNameMap#gpt2()} for the kit's GPT). The base model's own weights are the kit's, not a Hugging Face
 * checkpoint: the export makes the adapter inspectable and portable in format, it does not make it fit GPT-2.
 */
public final class PeftExport {

    /** The tensor file's name in an export directory. */
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";
    /** The configuration file's name in an export directory. */
    public static final String CONFIG_FILE = "adapter_config.json";

    private static final String PREFIX = "base_model.model.";
    private static final Pattern KEY = Pattern.compile(Pattern.quote(PREFIX) + "(.+)\\.lora_(A|B)\\.weight");
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting()
            .create();

    private PeftExport() {}

    /**
     * An adapter read from a PEFT directory.
     *
     * @param config    rank, alpha, scaling, dropout and init as recorded; targets are the exact (quoted) kit names
     * @param layout    the layout of {@code vector}, in kit layer names
     * @param vector    the flat adapter vector
     * @param baseModel {@code base_model_name_or_path}
     * @param taskType  {@code task_type}, or null
     */
    public record Adapter(LoraConfig config, LoraLayout layout, float[] vector, String baseModel, String taskType) {}

    /** Writes with kit names as module paths ({@link PeftNameMap#IDENTITY}). */
    public static void write(Path dir, LoraConfig config, LoraLayout layout, float[] vector, String baseModel,
            String taskType) {
        write(dir, config, layout, vector, baseModel, taskType, PeftNameMap.IDENTITY);
    }

    /**
     * Writes {@code vector} (checked against {@code layout}) as a PEFT adapter directory; the safetensors file first
     * and the config last, each atomically. {@code taskType} is PEFT's task type, e.g. {@code "CAUSAL_LM"}, or null.
     */
    public static void write(Path dir, LoraConfig config, LoraLayout layout, float[] vector, String baseModel,
            String taskType, PeftNameMap names) {
        if (config.rank() != layout.rank() || config.scale() != layout.scaling()) {
            throw new IllegalArgumentException("PEFT export to " + dir + ": config (rank " + config.rank() + ", scale "
                    + config.scale() + ") differs from the layout (rank " + layout.rank() + ", scale "
                    + layout.scaling() + ")");
        }
        layout.validate(vector, dir.toString());
        List<String> modules = modulePaths(layout, names, dir);
        Path weights = dir.resolve(WEIGHTS_FILE);
        try (NDManager manager = KitEngine.newManager()) {
            NDList tensors = LoraCheckpoint.toTensors(manager, layout, vector);
            for (int i = 0; i < modules.size(); i++) {
                tensors.get(2 * i).setName(PREFIX + modules.get(i) + ".lora_A.weight");
                tensors.get(2 * i + 1).setName(PREFIX + modules.get(i) + ".lora_B.weight");
            }
            AtomicFiles.write(weights, out -> tensors.encode(out, NDList.Encoding.SAFETENSORS));
        }
        AtomicFiles.writeString(dir.resolve(CONFIG_FILE), GSON.toJson(adapterConfig(config, modules, baseModel,
                taskType)));
    }

    /** Reads a PEFT LoRA directory whose module paths are the kit's layer names. */
    public static Adapter read(Path dir) {
        return read(dir, PeftNameMap.IDENTITY);
    }

    /**
     * Reads a PEFT LoRA directory (this class's exports, or PEFT's own saves of a plain LoRA adapter), mapping module
     * paths back to kit layer names with {@code names.toKit()}.
     */
    public static Adapter read(Path dir, PeftNameMap names) {
        Path configFile = dir.resolve(CONFIG_FILE);
        JsonObject json = readConfig(configFile);
        LoraConfig config;
        try {
            int rank = json.get("r").getAsInt();
            boolean rsLora = json.has("use_rslora") && json.get("use_rslora").getAsBoolean();
            JsonElement init = json.get("init_lora_weights");
            boolean gaussian = init != null && init.isJsonPrimitive() && init.getAsJsonPrimitive().isString()
                    && init.getAsString().equals("gaussian");
            float dropout = json.has("lora_dropout") ? json.get("lora_dropout").getAsFloat() : 0f;
            config = new LoraConfig(rank, json.get("lora_alpha").getAsFloat(),
                    rsLora ? LoraConfig.Scaling.RANK_STABILIZED : LoraConfig.Scaling.STANDARD, dropout,
                    gaussian ? LoraConfig.Init.GAUSSIAN : LoraConfig.Init.KAIMING_UNIFORM, List.of(".*"));
        } catch (RuntimeException e) {
            throw new CorruptArtifactException(configFile, "is not a usable LoRA adapter config (" + e.getMessage()
                    + ")");
        }
        Path weights = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(weights)) {
            throw new CorruptArtifactException(weights, "is missing next to " + CONFIG_FILE);
        }
        try (NDManager manager = KitEngine.newManager(); InputStream in = Files.newInputStream(weights)) {
            NDList tensors = LoraCheckpoint.decode(manager, in, weights);
            LoraLayout layout = layoutOf(tensors, config, names, weights);
            float[] vector = LoraCheckpoint.fromTensors(tensors, layout, weights);
            layout.validate(vector, weights.toString());
            List<String> targets = layout.layers().stream().map(l -> Pattern.quote(l.name())).toList();
            return new Adapter(new LoraConfig(config.rank(), config.alpha(), config.scaling(), config.dropout(),
                    config.init(), targets), layout, vector, stringOrNull(json, "base_model_name_or_path"),
                    stringOrNull(json, "task_type"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + weights + ": " + e.getMessage(), e);
        }
    }

    /** The PEFT module path of each layout layer, checked to be distinct and to map back to the kit name. */
    private static List<String> modulePaths(LoraLayout layout, PeftNameMap names, Path dir) {
        Set<String> seen = new HashSet<>();
        List<String> modules = layout.layers().stream().map(l -> names.toPeft().apply(l.name())).toList();
        for (int i = 0; i < modules.size(); i++) {
            String kit = layout.layers().get(i).name();
            String module = modules.get(i);
            if (!seen.add(module)) {
                throw new IllegalArgumentException("PEFT export to " + dir + ": the name map gives module path "
                        + module + " to two layers");
            }
            if (!kit.equals(names.toKit().apply(module))) {
                throw new IllegalArgumentException("PEFT export to " + dir + ": the name map sends layer " + kit
                        + " to " + module + " but maps that back to " + names.toKit().apply(module)
                        + "; give a name map whose toKit undoes toPeft");
            }
        }
        return modules;
    }

    private static JsonObject adapterConfig(LoraConfig config, List<String> modules, String baseModel,
            String taskType) {
        JsonObject json = new JsonObject();
        json.addProperty("peft_type", "LORA");
        json.add("task_type", taskType == null ? JsonNull.INSTANCE : new JsonPrimitive(taskType));
        json.add("base_model_name_or_path", baseModel == null ? JsonNull.INSTANCE : new JsonPrimitive(baseModel));
        json.addProperty("r", config.rank());
        float alpha = config.alpha();
        json.add("lora_alpha", alpha == Math.rint(alpha) ? new JsonPrimitive((long) alpha) : new JsonPrimitive(alpha));
        json.addProperty("lora_dropout", config.dropout());
        JsonArray targets = new JsonArray();
        modules.forEach(targets::add);
        json.add("target_modules", targets);
        json.addProperty("use_rslora", config.scaling() == LoraConfig.Scaling.RANK_STABILIZED);
        json.add("init_lora_weights", config.init() == LoraConfig.Init.GAUSSIAN ? new JsonPrimitive("gaussian")
                : new JsonPrimitive(true));
        json.addProperty("bias", "none");
        json.addProperty("fan_in_fan_out", false);
        json.addProperty("inference_mode", true);
        json.add("modules_to_save", JsonNull.INSTANCE);
        return json;
    }

    private static JsonObject readConfig(Path configFile) {
        if (!Files.isRegularFile(configFile)) {
            throw new CorruptArtifactException(configFile, "is missing; a PEFT adapter directory needs it");
        }
        JsonObject json;
        try {
            json = GSON.fromJson(Files.readString(configFile), JsonObject.class);
        } catch (IOException | RuntimeException e) {
            throw new CorruptArtifactException(configFile, "cannot be read as JSON (" + e.getMessage() + ")");
        }
        if (json == null || !json.has("peft_type") || !json.get("peft_type").getAsString().equals("LORA")) {
            throw new IllegalArgumentException(configFile + " is not a LoRA adapter (peft_type "
                    + (json == null ? null : json.get("peft_type")) + "); only plain LoRA adapters can be read");
        }
        if (json.has("bias") && !json.get("bias").getAsString().equals("none")) {
            throw new IllegalArgumentException(configFile + " trains biases (bias " + json.get("bias")
                    + "); the kit's adapters hold only A and B, so it cannot be read without losing them");
        }
        return json;
    }

    /**
     * Builds the layout from the tensor keys and shapes, renaming the tensors to {@code <kit name>.lora_A|B} so that
     * {@link LoraCheckpoint#fromTensors} can read them.
     */
    private static LoraLayout layoutOf(NDList tensors, LoraConfig config, PeftNameMap names, Path file) {
        Map<String, long[]> inOut = new TreeMap<>();
        for (NDArray tensor : tensors) {
            Matcher key = KEY.matcher(tensor.getName());
            long[] shape = tensor.getShape().getShape();
            if (!key.matches() || shape.length != 2) {
                throw new IllegalArgumentException(file + ": tensor " + tensor.getName() + " " + tensor.getShape()
                        + " is not a LoRA factor (" + PREFIX + "<module>.lora_A|lora_B.weight, 2-D)");
            }
            String layer = names.toKit().apply(key.group(1));
            boolean isA = key.group(2).equals("A");
            long rank = isA ? shape[0] : shape[1];
            if (rank != config.rank()) {
                throw new IllegalArgumentException(file + ": tensor " + tensor.getName() + " has rank " + rank
                        + " but the adapter config says r = " + config.rank());
            }
            long[] sizes = inOut.computeIfAbsent(layer, k -> new long[] {-1, -1});
            sizes[isA ? 0 : 1] = isA ? shape[1] : shape[0];
            tensor.setName(layer + (isA ? ".lora_A" : ".lora_B"));
        }
        List<LoraLayout.Layer> layers = inOut.entrySet().stream().map(e -> {
            if (e.getValue()[0] < 0 || e.getValue()[1] < 0) {
                throw new IllegalArgumentException(file + ": layer " + e.getKey() + " has only one of lora_A and lora_B");
            }
            return new LoraLayout.Layer(e.getKey(), (int) e.getValue()[0], (int) e.getValue()[1]);
        }).toList();
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no LoRA tensors");
        }
        return new LoraLayout(config.rank(), config.scale(), layers);
    }

    private static String stringOrNull(JsonObject json, String member) {
        JsonElement value = json.get(member);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }
}
