package org.icmlora.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
import java.util.Arrays;
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
import org.icmlora.store.DiskUsage;

/**
 * The on-disk form of an {@link Adapter}: the directory Hugging Face PEFT saves for a LoRA adapter, plus the kit's
 * sidecar.
 *
 * <ul>
 *   <li>{@value #WEIGHTS}: per adapted layer the float32 tensors {@code base_model.model.<module>.lora_A.weight}
 *       [r, in] and {@code ...lora_B.weight} [out, r];</li>
 *   <li>{@value #PEFT_CONFIG}: {@code peft_type "LORA"}, {@code r}, {@code lora_alpha}, {@code lora_dropout},
 *       {@code target_modules} (the module paths of the adapted layers), {@code use_rslora} (rank-stabilised
 *       scaling), {@code init_lora_weights} ({@code true} for Kaiming-uniform, {@code "gaussian"}), {@code bias
 *       "none"}, {@code task_type}, {@code base_model_name_or_path};</li>
 *   <li>{@value #SIDECAR}: the kit's {@link LoraConfig} (with its target patterns, which PEFT's module list loses),
 *       the {@link LoraLayout}, the module path of each layer, the {@link Adapter.Origin}, and size and SHA-256 of the
 *       two PEFT files. Written last and atomically: a directory without it is incomplete and never read.</li>
 * </ul>
 * Module paths are the kit's layer names by default; a {@link PeftNameMap} renames them (the kit's GPT to GPT-2's,
 * for loading into {@code transformers}). Reading checks sizes and checksums, so a truncated or altered file is
 * reported by name instead of being read as numbers; {@link #readPeft} reads a PEFT directory that has no sidecar.
 */
public final class AdapterFiles {

    /** The tensor file. */
    public static final String WEIGHTS = "adapter_model.safetensors";
    /** PEFT's configuration file. */
    public static final String PEFT_CONFIG = "adapter_config.json";
    /** The kit's sidecar, written last. */
    public static final String SIDECAR = "icmlora.json";

    private static final int FORMAT_VERSION = 2;
    private static final String PREFIX = "base_model.model.";
    private static final Pattern KEY = Pattern.compile(Pattern.quote(PREFIX) + "(.+)\\.lora_(A|B)\\.weight");
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting()
            .serializeSpecialFloatingPointValues().create();

    private AdapterFiles() {}

    /** An adapter read back with where it came from. */
    public record Stored(Adapter adapter, Adapter.Origin origin) {}

    /** The sidecar's content. */
    private record Sidecar(int format, LoraConfig config, LoraLayout layout, List<String> modules, int epoch,
            Map<String, Double> metrics, Map<String, FileSum> files) {}

    /** Size and checksum of one PEFT file. */
    private record FileSum(long bytes, String sha256) {}

    /**
     * Writes {@code adapter} into {@code dir} (replacing an adapter there): the tensors, PEFT's config, then the
     * sidecar. {@code baseModel} names the base model in PEFT's config (null: none).
     */
    public static void write(Path dir, Adapter adapter, Adapter.Origin origin, PeftNameMap names, String baseModel) {
        LoraLayout layout = adapter.layout();
        List<String> modules = modulePaths(layout, names, dir);
        try {
            // Until the new sidecar exists the directory counts as incomplete, never as old metadata over new tensors.
            Files.deleteIfExists(dir.resolve(SIDECAR));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace the adapter in " + dir + ": " + e.getMessage(), e);
        }
        Path weights = dir.resolve(WEIGHTS);
        try (NDManager manager = KitEngine.newManager()) {
            NDList tensors = toTensors(manager, layout, adapter.values());
            for (int i = 0; i < modules.size(); i++) {
                tensors.get(2 * i).setName(PREFIX + modules.get(i) + ".lora_A.weight");
                tensors.get(2 * i + 1).setName(PREFIX + modules.get(i) + ".lora_B.weight");
            }
            AtomicFiles.write(weights, out -> tensors.encode(out, NDList.Encoding.SAFETENSORS));
        }
        Path peftConfig = dir.resolve(PEFT_CONFIG);
        AtomicFiles.writeString(peftConfig, GSON.toJson(peftConfig(adapter.config(), modules, baseModel)));
        Map<String, FileSum> files = new TreeMap<>();
        for (Path file : List.of(weights, peftConfig)) {
            files.put(file.getFileName().toString(), new FileSum(DiskUsage.bytes(file), AtomicFiles.sha256(file)));
        }
        AtomicFiles.writeString(dir.resolve(SIDECAR), GSON.toJson(new Sidecar(FORMAT_VERSION, adapter.config(), layout,
                modules, origin.epoch(), origin.metrics(), files)));
    }

    /** True when {@code dir} holds a completely written adapter (its sidecar exists). */
    public static boolean isComplete(Path dir) {
        return Files.isRegularFile(dir.resolve(SIDECAR));
    }

    /**
     * Reads an adapter written by {@link #write}. Fails with {@link CorruptArtifactException} naming the file when
     * one is missing, truncated, altered or unreadable, and with {@link IllegalArgumentException} when the tensors do
     * not fit the recorded layout or hold NaN or infinity.
     */
    public static Stored read(Path dir) {
        Sidecar sidecar = readSidecar(dir.resolve(SIDECAR));
        for (var entry : sidecar.files().entrySet()) {
            Path file = dir.resolve(entry.getKey());
            if (!Files.isRegularFile(file)) {
                throw new CorruptArtifactException(file, "is missing (its sidecar " + SIDECAR + " exists)");
            }
            long size = DiskUsage.bytes(file);
            if (size != entry.getValue().bytes()) {
                throw new CorruptArtifactException(file, "has " + size + " bytes but " + entry.getValue().bytes()
                        + " were written (truncated or altered)");
            }
            if (!AtomicFiles.sha256(file).equals(entry.getValue().sha256())) {
                throw new CorruptArtifactException(file, "does not match the SHA-256 recorded in " + SIDECAR);
            }
        }
        Path weights = dir.resolve(WEIGHTS);
        float[] values;
        try (NDManager manager = KitEngine.newManager(); InputStream in = Files.newInputStream(weights)) {
            NDList tensors = decode(manager, in, weights);
            for (int i = 0; i < sidecar.modules().size(); i++) {
                String layer = sidecar.layout().layers().get(i).name();
                rename(tensors, PREFIX + sidecar.modules().get(i) + ".lora_A.weight", layer + ".lora_A", weights);
                rename(tensors, PREFIX + sidecar.modules().get(i) + ".lora_B.weight", layer + ".lora_B", weights);
            }
            values = fromTensors(tensors, sidecar.layout(), weights);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + weights + ": " + e.getMessage(), e);
        }
        sidecar.layout().validate(values, weights.toString());
        return new Stored(new Adapter(sidecar.config(), sidecar.layout(), values),
                new Adapter.Origin(sidecar.epoch(), sidecar.metrics() == null ? Map.of() : sidecar.metrics()));
    }

    /**
     * Reads a PEFT LoRA directory without the kit's sidecar (PEFT's own save of a plain LoRA adapter), mapping module
     * paths back to kit layer names with {@code names.toKit()}. The configuration's targets are the exact (quoted)
     * layer names found.
     */
    public static Adapter readPeft(Path dir, PeftNameMap names) {
        Path configFile = dir.resolve(PEFT_CONFIG);
        JsonObject json = readPeftConfig(configFile);
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
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            throw new CorruptArtifactException(weights, "is missing next to " + PEFT_CONFIG);
        }
        try (NDManager manager = KitEngine.newManager(); InputStream in = Files.newInputStream(weights)) {
            NDList tensors = decode(manager, in, weights);
            LoraLayout layout = layoutOf(tensors, config, names, weights);
            float[] values = fromTensors(tensors, layout, weights);
            layout.validate(values, weights.toString());
            List<String> targets = layout.layers().stream().map(l -> Pattern.quote(l.name())).toList();
            return new Adapter(new LoraConfig(config.rank(), config.alpha(), config.scaling(), config.dropout(),
                    config.init(), targets), layout, values);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + weights + ": " + e.getMessage(), e);
        }
    }

    /** The adapter tensors of {@code values}, named {@code <layer>.lora_A} [r, in] and {@code <layer>.lora_B} [out, r]. */
    private static NDList toTensors(NDManager manager, LoraLayout layout, float[] values) {
        NDList list = new NDList();
        for (LoraLayout.Tensor tensor : layout.tensors()) {
            NDArray array = manager.create(Arrays.copyOfRange(values, tensor.offset(), tensor.offset() + tensor.size()),
                    new Shape(tensor.rows(), tensor.cols()));
            array.setName(tensor.name());
            list.add(array);
        }
        return list;
    }

    /** The flat vector of tensors named as {@link #toTensors} names them; exactly the layout's tensors must be there. */
    private static float[] fromTensors(NDList list, LoraLayout layout, Path file) {
        float[] values = new float[layout.size()];
        List<LoraLayout.Tensor> tensors = layout.tensors();
        for (LoraLayout.Tensor tensor : tensors) {
            NDArray array = list.get(tensor.name());
            Shape shape = new Shape(tensor.rows(), tensor.cols());
            if (array == null) {
                throw new IllegalArgumentException(file + " has no tensor " + tensor.name()
                        + "; it was written for another layout");
            }
            if (!array.getShape().equals(shape) || array.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException(file + ": tensor " + tensor.name() + " is " + array.getDataType()
                        + " " + array.getShape() + ", the layout needs float32 " + shape);
            }
            System.arraycopy(array.toFloatArray(), 0, values, tensor.offset(), tensor.size());
        }
        if (list.size() != tensors.size()) {
            throw new IllegalArgumentException(file + " holds " + list.size() + " tensors but its layout has "
                    + tensors.size() + "; it was written for another layout");
        }
        return values;
    }

    private static void rename(NDList tensors, String from, String to, Path file) {
        NDArray array = tensors.get(from);
        if (array == null) {
            throw new CorruptArtifactException(file, "has no tensor " + from + " although its sidecar lists it");
        }
        array.setName(to);
    }

    /** Reads a safetensors stream; unreadable content is reported as a corrupt {@code file}. */
    private static NDList decode(NDManager manager, InputStream in, Path file) {
        try {
            return NDList.decode(manager, in);
        } catch (RuntimeException e) {
            throw new CorruptArtifactException(file, "is not a readable safetensors file (" + e.getMessage() + ")");
        }
    }

    private static Sidecar readSidecar(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CorruptArtifactException(file, "is missing, so the adapter was never completely written");
        }
        Sidecar sidecar;
        try {
            sidecar = GSON.fromJson(Files.readString(file), Sidecar.class);
        } catch (IOException | RuntimeException e) {
            // Gson runs the records' constructors, so invalid values (rank 0, no layers) also end up here.
            throw new CorruptArtifactException(file, "cannot be read as an adapter sidecar (" + e.getMessage() + ")");
        }
        if (sidecar == null || sidecar.layout() == null || sidecar.config() == null || sidecar.files() == null
                || sidecar.modules() == null || sidecar.modules().size() != sidecar.layout().layers().size()) {
            throw new CorruptArtifactException(file, "lacks the config, layout, module names or checksums of an adapter");
        }
        if (sidecar.format() != FORMAT_VERSION) {
            throw new CorruptArtifactException(file, "has adapter format " + sidecar.format() + ", this kit reads "
                    + FORMAT_VERSION);
        }
        if (sidecar.files().keySet().stream().anyMatch(name -> Path.of(name).getNameCount() != 1)) {
            throw new CorruptArtifactException(file, "names a file outside its directory");
        }
        return sidecar;
    }

    /** The PEFT module path of each layout layer, checked to be distinct and to map back to the kit name. */
    private static List<String> modulePaths(LoraLayout layout, PeftNameMap names, Path dir) {
        Set<String> seen = new HashSet<>();
        List<String> modules = layout.layers().stream().map(l -> names.toPeft().apply(l.name())).toList();
        for (int i = 0; i < modules.size(); i++) {
            String kit = layout.layers().get(i).name();
            String module = modules.get(i);
            if (!seen.add(module)) {
                throw new IllegalArgumentException("adapter in " + dir + ": the name map gives module path " + module
                        + " to two layers");
            }
            if (!kit.equals(names.toKit().apply(module))) {
                throw new IllegalArgumentException("adapter in " + dir + ": the name map sends layer " + kit + " to "
                        + module + " but maps that back to " + names.toKit().apply(module)
                        + "; give a name map whose toKit undoes toPeft");
            }
        }
        return modules;
    }

    private static JsonObject peftConfig(LoraConfig config, List<String> modules, String baseModel) {
        JsonObject json = new JsonObject();
        json.addProperty("peft_type", "LORA");
        json.add("task_type", JsonNull.INSTANCE);
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

    private static JsonObject readPeftConfig(Path configFile) {
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

    /** Builds the layout from PEFT tensor keys and shapes, renaming the tensors to {@code <kit name>.lora_A|B}. */
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
}
