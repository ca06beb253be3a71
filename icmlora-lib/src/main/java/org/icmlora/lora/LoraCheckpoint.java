package org.icmlora.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.icmlora.engine.KitEngine;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.CorruptArtifactException;
import org.icmlora.store.DiskUsage;

/**
 * One saved adapter: the tensors in {@code <name>.safetensors} and what they mean in {@code <name>.json}.
 *
 * <p>The tensor file holds, per adapted layer, {@code <layer>.lora_A} [r, in] and {@code <layer>.lora_B} [out, r] as
 * float32, readable by any safetensors tool. The JSON file holds the {@link LoraConfig}, the {@link LoraLayout}, the
 * epoch, training metrics and the size and SHA-256 of the tensor file. Both are written atomically and the JSON file
 * last, so a checkpoint whose JSON file exists is complete; {@link #load} re-checks size and checksum, so a truncated
 * or altered tensor file is reported by name instead of being read as numbers.
 *
 * @param config  the adapter configuration the tensors were trained with
 * @param layout  the layout of {@link #vector()}
 * @param vector  the adapter as one flat vector in {@code layout}'s order (not copied: treat it as read-only)
 * @param epoch   the training epoch (or step) after which the adapter was saved
 * @param metrics named training figures at that point (loss, perplexity, ...), sorted by name
 */
public record LoraCheckpoint(LoraConfig config, LoraLayout layout, float[] vector, int epoch,
        Map<String, Double> metrics) {

    /** File name ending of the tensor file. */
    public static final String TENSOR_SUFFIX = ".safetensors";
    /** File name ending of the metadata file. */
    public static final String METADATA_SUFFIX = ".json";

    private static final int FORMAT_VERSION = 1;
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues()
            .setPrettyPrinting().create();

    public LoraCheckpoint {
        metrics = Collections.unmodifiableMap(new TreeMap<>(metrics));
    }

    /**
     * Saves an adapter as {@code dir/<name>.safetensors} and {@code dir/<name>.json}, replacing an older checkpoint of
     * the same name. The vector is checked against {@code layout} first (length, finite values).
     */
    public static void save(Path dir, String name, LoraConfig config, LoraLayout layout, float[] vector, int epoch,
            Map<String, Double> metrics) {
        if (name.isBlank() || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("checkpoint name must be a plain file name, got '" + name + "'");
        }
        if (config.rank() != layout.rank() || config.scale() != layout.scaling()) {
            throw new IllegalArgumentException("checkpoint " + name + ": config (rank " + config.rank() + ", scale "
                    + config.scale() + ") differs from the layout (rank " + layout.rank() + ", scale "
                    + layout.scaling() + ")");
        }
        layout.validate(vector, dir.resolve(name).toString());
        Path tensors = dir.resolve(name + TENSOR_SUFFIX);
        Path json = dir.resolve(name + METADATA_SUFFIX);
        try {
            // Until the new JSON exists the checkpoint counts as absent, never as old metadata over new tensors.
            Files.deleteIfExists(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace checkpoint " + json + ": " + e.getMessage(), e);
        }
        try (NDManager manager = KitEngine.newManager()) {
            NDList list = toTensors(manager, layout, vector);
            AtomicFiles.write(tensors, out -> list.encode(out, NDList.Encoding.SAFETENSORS));
        }
        Metadata metadata = new Metadata(FORMAT_VERSION, tensors.getFileName().toString(), DiskUsage.bytes(tensors),
                AtomicFiles.sha256(tensors), epoch, new TreeMap<>(metrics), config, layout);
        AtomicFiles.writeString(json, GSON.toJson(metadata));
    }

    /**
     * Loads a checkpoint given either of its two files. Fails with {@link CorruptArtifactException} naming the file
     * when a file is missing, truncated, altered or unreadable, and with {@link IllegalArgumentException} when the
     * tensors do not fit the recorded layout or hold NaN/Inf.
     */
    public static LoraCheckpoint load(Path file) {
        Path json = metadataFileOf(file);
        Metadata metadata = readMetadata(json);
        Path tensors = json.resolveSibling(metadata.tensorFile);
        if (!Files.isRegularFile(tensors)) {
            throw new CorruptArtifactException(tensors, "is missing (its metadata " + json.getFileName() + " exists)");
        }
        long size = DiskUsage.bytes(tensors);
        if (size != metadata.bytes) {
            throw new CorruptArtifactException(tensors, "has " + size + " bytes but " + metadata.bytes
                    + " were written (truncated or altered)");
        }
        if (!AtomicFiles.sha256(tensors).equals(metadata.sha256)) {
            throw new CorruptArtifactException(tensors, "does not match the SHA-256 recorded in " + json.getFileName());
        }
        float[] vector;
        try (NDManager manager = KitEngine.newManager(); InputStream in = Files.newInputStream(tensors)) {
            vector = fromTensors(decode(manager, in, tensors), metadata.layout, tensors);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + tensors + ": " + e.getMessage(), e);
        }
        metadata.layout.validate(vector, tensors.toString());
        return new LoraCheckpoint(metadata.config, metadata.layout, vector, metadata.epoch,
                metadata.metrics == null ? Map.of() : metadata.metrics);
    }

    /** Loads this checkpoint's adapter into {@code model}, whose adapters must have this checkpoint's layout. */
    public void applyTo(Block model) {
        LoraAdapters.load(model, layout, vector, "checkpoint of epoch " + epoch);
    }

    /**
     * The adapter tensors of {@code vector} as float32 arrays named as {@link LoraLayout#tensors()} names them
     * ({@code <layer>.lora_A} [r, in], {@code <layer>.lora_B} [out, r]), in that order. Shared with
     * {@link PeftExport}, which renames them.
     */
    static NDList toTensors(NDManager manager, LoraLayout layout, float[] vector) {
        NDList list = new NDList();
        for (LoraLayout.Tensor tensor : layout.tensors()) {
            NDArray array = manager.create(Arrays.copyOfRange(vector, tensor.offset(), tensor.offset() + tensor.size()),
                    new Shape(tensor.rows(), tensor.cols()));
            array.setName(tensor.name());
            list.add(array);
        }
        return list;
    }

    /**
     * The flat vector of tensors named as {@link #toTensors} names them; every tensor of the layout must be present
     * with its shape and no other tensor may be. {@code file} is named in errors.
     */
    static float[] fromTensors(NDList list, LoraLayout layout, Path file) {
        float[] vector = new float[layout.size()];
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
            System.arraycopy(array.toFloatArray(), 0, vector, tensor.offset(), tensor.size());
        }
        if (list.size() != tensors.size()) {
            throw new IllegalArgumentException(file + " holds " + list.size() + " tensors but its layout has "
                    + tensors.size() + "; it was written for another layout");
        }
        return vector;
    }

    /** Reads a safetensors stream; unreadable content is reported as a corrupt {@code file}. */
    static NDList decode(NDManager manager, InputStream in, Path file) {
        try {
            return NDList.decode(manager, in);
        } catch (RuntimeException e) {
            throw new CorruptArtifactException(file, "is not a readable safetensors file (" + e.getMessage() + ")");
        }
    }

    private static Path metadataFileOf(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(METADATA_SUFFIX)) {
            return file;
        }
        if (name.endsWith(TENSOR_SUFFIX)) {
            return file.resolveSibling(name.substring(0, name.length() - TENSOR_SUFFIX.length()) + METADATA_SUFFIX);
        }
        throw new IllegalArgumentException(file + " is not a checkpoint file; give its " + TENSOR_SUFFIX + " or "
                + METADATA_SUFFIX + " file");
    }

    private static Metadata readMetadata(Path json) {
        if (!Files.isRegularFile(json)) {
            throw new CorruptArtifactException(json, "is missing, so the checkpoint was never completely written");
        }
        Metadata metadata;
        try {
            metadata = GSON.fromJson(Files.readString(json), Metadata.class);
        } catch (IOException | RuntimeException e) {
            // Gson runs the records' constructors, so invalid values (rank 0, no layers) also end up here.
            throw new CorruptArtifactException(json, "cannot be read as checkpoint metadata (" + e.getMessage() + ")");
        }
        if (metadata == null || metadata.layout == null || metadata.config == null || metadata.sha256 == null
                || metadata.tensorFile == null) {
            throw new CorruptArtifactException(json, "lacks the config, layout or checksum of a checkpoint");
        }
        if (Path.of(metadata.tensorFile).getNameCount() != 1 || !metadata.tensorFile.endsWith(TENSOR_SUFFIX)) {
            throw new CorruptArtifactException(json, "names tensor file '" + metadata.tensorFile
                    + "', which is not a " + TENSOR_SUFFIX + " file beside it");
        }
        if (metadata.format != FORMAT_VERSION) {
            throw new CorruptArtifactException(json, "has checkpoint format " + metadata.format + ", this kit reads "
                    + FORMAT_VERSION);
        }
        if (metadata.layout.rank() != metadata.config.rank()) {
            throw new CorruptArtifactException(json, "records rank " + metadata.config.rank() + " in its config but "
                    + metadata.layout.rank() + " in its layout");
        }
        return metadata;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LoraCheckpoint c && config.equals(c.config) && layout.equals(c.layout)
                && Arrays.equals(vector, c.vector) && epoch == c.epoch && metrics.equals(c.metrics);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(vector) + layout.hashCode() + epoch;
    }

    @Override
    public String toString() {
        return "LoraCheckpoint(epoch " + epoch + ", rank " + layout.rank() + ", P=" + vector.length + ", " + metrics
                + ")";
    }

    /** The JSON metadata file's content. */
    private record Metadata(int format, String tensorFile, long bytes, String sha256, int epoch,
            Map<String, Double> metrics, LoraConfig config, LoraLayout layout) {}
}
