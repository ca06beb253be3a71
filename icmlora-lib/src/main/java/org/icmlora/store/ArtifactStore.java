package org.icmlora.store;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.icmlora.engine.KitPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache every pipeline stage writes to. An output lives in {@code <root>/<stage>/<hash>/}, where the hash covers
 * the stage name, its configuration (as JSON), the keys of its inputs and {@link #COMPUTATION_VERSION}; so a changed
 * parameter recomputes only what depends on it, and a rerun reuses everything else.
 *
 * <p>An output is produced in a fresh staging directory and renamed into place only after every file is written and
 * listed with its SHA-256 in {@code manifest.json}: a killed run leaves no output that counts as present. Work that
 * takes long (training) keeps its own checkpoints in {@link #workDir}, which survives a crash and is removed once the
 * output is complete, so a rerun resumes where the killed one stopped.
 */
public final class ArtifactStore {

    /**
     * The version of what the kit's stages compute; it is part of every key. Bump it in a change that alters the
     * output of a stage for an unchanged configuration (training code, a model's layers, an evaluation), so that
     * caches written by older code are recomputed instead of reused. 2: gradients no longer read freed constants
     * ({@link org.icmlora.engine.Scalars}) and the detector trains without gradient clipping. 3: the one training loop
     * (per-epoch seeding), adapters as PEFT directories, evaluations kept per test item, whole test documents.
     */
    public static final int COMPUTATION_VERSION = 3;
    static final String MANIFEST = "manifest.json";
    private static final String WORK_SUFFIX = ".work";
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues()
            .create();

    private final Path root;

    /** A store rooted at {@code root} (created on first write). */
    public ArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The store at {@link KitPaths#cache()}: {@code ICMLORA_CACHE}, else {@code .cache/artifacts} in the checkout. */
    public static ArtifactStore atDefaultLocation() {
        return new ArtifactStore(KitPaths.cache());
    }

    /** The directory this store keeps its outputs in. */
    public Path root() {
        return root;
    }

    /** The key of a stage output that depends on {@code config} and on the outputs named by {@code inputs}. */
    public static StageKey key(String stage, Object config, StageKey... inputs) {
        return key(COMPUTATION_VERSION, stage, config, inputs);
    }

    /** The key as computed by the kit at {@code computationVersion}. */
    static StageKey key(int computationVersion, String stage, Object config, StageKey... inputs) {
        StringBuilder identity = new StringBuilder("computation ").append(computationVersion).append('\n')
                .append(stage).append('\n')
                .append(GSON.toJson(canonical(GSON.toJsonTree(config))));
        Arrays.stream(inputs).forEach(input -> identity.append('\n').append(input));
        return new StageKey(stage, AtomicFiles.sha256(identity.toString()).substring(0, 20));
    }

    /** True when the output of {@code key} is fully written (a rename made it visible, so it is never partial). */
    public boolean isComplete(StageKey key) {
        return Files.isRegularFile(outputDir(key).resolve(MANIFEST));
    }

    /**
     * The output directory of {@code key}: reused when present and intact, else produced by {@code producer}, which
     * fills the empty directory it is given. Reused outputs are checked against their recorded checksums.
     */
    public Path getOrCompute(StageKey key, Object config, IoConsumer<Path> producer) {
        Path output = outputDir(key);
        if (isComplete(key)) {
            verify(key);
            LOG.info("reusing {}", key);
            return output;
        }
        Path staging = output.resolveSibling("." + key.hash() + "." + UUID.randomUUID() + ".staging");
        try {
            Files.createDirectories(staging);
            long start = System.nanoTime();
            producer.accept(staging);
            writeManifest(staging, key, config, (System.nanoTime() - start) / 1e9);
            if (isComplete(key)) {
                LOG.info("{} was completed by another run meanwhile; keeping that output", key);
            } else {
                AtomicFiles.deleteQuietly(output); // an incomplete leftover without manifest, if any
                AtomicFiles.moveAtomically(staging, output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("stage " + key + " failed: " + e.getMessage(), e);
        } finally {
            AtomicFiles.deleteQuietly(staging);
        }
        AtomicFiles.deleteQuietly(workDirPath(key));
        return output;
    }

    /** A directory for resumable partial work of {@code key} (checkpoints): kept across crashes, removed on success. */
    public Path workDir(StageKey key) {
        Path dir = workDirPath(key);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create work directory " + dir, e);
        }
        return dir;
    }

    /** Checks every file of a complete output against its recorded size and SHA-256. */
    public void verify(StageKey key) {
        Path output = outputDir(key);
        JsonObject manifest = readManifest(output);
        for (var entry : manifest.getAsJsonObject("files").entrySet()) {
            Path file = output.resolve(entry.getKey());
            JsonObject expected = entry.getValue().getAsJsonObject();
            if (!Files.isRegularFile(file)) {
                throw new CorruptArtifactException(file, "is missing from a completed output");
            }
            long size = DiskUsage.bytes(file);
            if (size != expected.get("bytes").getAsLong()) {
                throw new CorruptArtifactException(file, "has " + size + " bytes, " + expected.get("bytes")
                        + " were written (truncated or altered)");
            }
            if (!AtomicFiles.sha256(file).equals(expected.get("sha256").getAsString())) {
                throw new CorruptArtifactException(file, "does not match the SHA-256 recorded when it was written");
            }
        }
    }

    /** Every complete output in the store, by stage then key, with its size and creation time. */
    public List<StoredArtifact> list() {
        List<StoredArtifact> found = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        try (Stream<Path> stages = Files.list(root)) {
            for (Path stageDir : stages.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> outputs = Files.list(stageDir)) {
                    for (Path output : outputs.sorted().toList()) {
                        String name = output.getFileName().toString();
                        boolean outputName = !name.startsWith(".") && !name.endsWith(WORK_SUFFIX);
                        if (outputName && Files.isRegularFile(output.resolve(MANIFEST))) {
                            JsonObject manifest = readManifest(output);
                            found.add(new StoredArtifact(new StageKey(stageDir.getFileName().toString(),
                                    output.getFileName().toString()), output, totalBytes(manifest),
                                    manifest.get("created").getAsString()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the artifact store " + root, e);
        }
        return found;
    }

    /** Removes every output and work directory of one stage; returns how many outputs were removed. */
    public int clean(String stage) {
        Path stageDir = root.resolve(new StageKey(stage, "x").stage());
        int removed = (int) list().stream().filter(a -> a.key().stage().equals(stage)).count();
        AtomicFiles.deleteQuietly(stageDir);
        return removed;
    }

    /** One complete output as {@link #list()} reports it. */
    public record StoredArtifact(StageKey key, Path dir, long bytes, String created) {}

    Path outputDir(StageKey key) {
        return root.resolve(key.stage()).resolve(key.hash());
    }

    private Path workDirPath(StageKey key) {
        return root.resolve(key.stage()).resolve(key.hash() + WORK_SUFFIX);
    }

    private void writeManifest(Path staging, StageKey key, Object config, double seconds) throws IOException {
        Map<String, Object> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String name = staging.relativize(file).toString().replace('\\', '/');
                files.put(name, Map.of("bytes", DiskUsage.bytes(file), "sha256", AtomicFiles.sha256(file)));
            }
        }
        Map<String, Object> manifest = new TreeMap<>();
        manifest.put("stage", key.stage());
        manifest.put("key", key.hash());
        manifest.put("config", config);
        manifest.put("created", Instant.now().toString());
        manifest.put("seconds", Math.round(seconds * 1000) / 1000.0);
        manifest.put("files", files);
        AtomicFiles.writeString(staging.resolve(MANIFEST), GSON.toJson(manifest));
    }

    /**
     * The same JSON with every object's members sorted by name, so a key does not depend on a map's iteration order
     * ({@code Map.of} iterates in an order that changes from one JVM run to the next).
     */
    private static JsonElement canonical(JsonElement element) {
        if (element.isJsonObject()) {
            JsonObject sorted = new JsonObject();
            element.getAsJsonObject().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> sorted.add(e.getKey(), canonical(e.getValue())));
            return sorted;
        }
        if (element.isJsonArray()) {
            JsonArray copy = new JsonArray();
            element.getAsJsonArray().forEach(e -> copy.add(canonical(e)));
            return copy;
        }
        return element;
    }

    private static JsonObject readManifest(Path output) {
        Path file = output.resolve(MANIFEST);
        try {
            return GSON.fromJson(Files.readString(file), JsonObject.class);
        } catch (IOException | RuntimeException e) {
            throw new CorruptArtifactException(file, "cannot be read as a manifest (" + e.getMessage() + ")");
        }
    }

    private static long totalBytes(JsonObject manifest) {
        return manifest.getAsJsonObject("files").entrySet().stream()
                .mapToLong(e -> e.getValue().getAsJsonObject().get("bytes").getAsLong()).sum();
    }

}
