package org.icmlora.generate.core;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.CorruptArtifactException;
import org.icmlora.store.DiskUsage;

/**
 * The on-disk form of a fitted generator: a directory holding {@code weights.safetensors} (every tensor the generator
 * needs, by name) and {@code generator.json} (its kind, configuration, layout, normalisation statistics and the
 * weights' SHA-256). The directory is assembled under a temporary name and renamed into place, so it is complete or
 * absent; reading checks the checksum. Its size on disk is what Table 3 reports for a generator.
 */
public final class GeneratorFiles {

    /** File with the tensors. */
    public static final String WEIGHTS = "weights.safetensors";
    /** File with the metadata. */
    public static final String METADATA = "generator.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private GeneratorFiles() {}

    /** Metadata and tensors read back from an artifact directory. */
    public record Stored(JsonObject metadata, NDList tensors) {}

    /**
     * Writes an artifact directory at {@code dir} (replacing an existing one) with {@code tensors} (each named) and
     * {@code metadata}, to which the kind and the weights' SHA-256 are added. Returns its size in bytes.
     */
    public static long write(Path dir, String kind, JsonObject metadata, NDList tensors) {
        Path target = dir.toAbsolutePath().normalize();
        Path staging = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".staging");
        try {
            Files.createDirectories(staging);
            AtomicFiles.write(staging.resolve(WEIGHTS), out -> tensors.encode(out, NDList.Encoding.SAFETENSORS));
            JsonObject meta = metadata.deepCopy();
            meta.addProperty("kind", kind);
            meta.addProperty("weightsSha256", AtomicFiles.sha256(staging.resolve(WEIGHTS)));
            AtomicFiles.writeString(staging.resolve(METADATA), GSON.toJson(meta));
            AtomicFiles.deleteQuietly(target);
            AtomicFiles.moveAtomically(staging, target);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write generator artifact " + target + ": " + e.getMessage(), e);
        } finally {
            AtomicFiles.deleteQuietly(staging);
        }
        return storageBytes(target);
    }

    /** Reads and checks an artifact directory; its tensors belong to {@code manager}. */
    public static Stored read(Path dir, NDManager manager) {
        Path metaFile = dir.resolve(METADATA);
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(metaFile) || !Files.isRegularFile(weights)) {
            throw new IllegalArgumentException(dir + " is not a generator artifact: it needs " + METADATA + " and "
                    + WEIGHTS + " (write one with LoraGenerator.save)");
        }
        JsonObject metadata;
        try {
            metadata = GSON.fromJson(Files.readString(metaFile), JsonObject.class);
        } catch (IOException | RuntimeException e) {
            throw new CorruptArtifactException(metaFile, "cannot be read as generator metadata (" + e.getMessage()
                    + ")");
        }
        if (!AtomicFiles.sha256(weights).equals(metadata.get("weightsSha256").getAsString())) {
            throw new CorruptArtifactException(weights, "does not match the SHA-256 recorded in " + METADATA);
        }
        try (InputStream in = Files.newInputStream(weights)) {
            return new Stored(metadata, NDList.decode(manager, in));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + weights + ": " + e.getMessage(), e);
        }
    }

    /** The kind named in the text of a {@link #METADATA} file. */
    public static String kind(String metadataJson) {
        return GSON.fromJson(metadataJson, JsonObject.class).get("kind").getAsString();
    }

    /** Bytes on disk of every file under {@code dir} (Table 3's storage of a generator). */
    public static long storageBytes(Path dir) {
        return DiskUsage.bytes(dir);
    }
}
