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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.icmlora.engine.ComputeSettings;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.KitPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache every pipeline stage writes to, safe to share between the threads of a run and between processes (the
 * command line, notebooks and tests at once). An output lives in {@code <root>/<stage>/<hash>/}, where the hash covers
 * the stage name, its configuration (as JSON), the keys of its inputs, {@link #COMPUTATION_VERSION} and the
 * {@link ComputeSettings} (engine, version, device, threads); so a changed parameter recomputes only what depends on
 * it, and a rerun reuses everything else.
 *
 * <p>One thread of one process computes an output at a time: it holds the output's {@link StageLock}, and others wait
 * for it (saying so) and then reuse what it wrote. The holder produces the output in a staging directory that is
 * renamed into place only after every file is written and listed with its SHA-256 in {@code manifest.json}, so a
 * killed run leaves no output that counts as present. Work that takes long (training) keeps its checkpoints in
 * {@link #workDir}, which only the holder may use; it survives a crash, so a rerun resumes, and is removed once the
 * output is complete.
 *
 * <p>An output is reused only while it is intact (every file matches its manifest) and made from its inputs as they
 * are now: the manifest records each input's content hash, and an output whose input was recomputed with other bytes
 * is recomputed too. Damaged outputs are reported ({@link CorruptArtifactException}) and listed by {@link #check()};
 * {@link #removeWithDependents} and {@link #clean(String)} remove outputs together with every output made from them.
 */
public final class ArtifactStore {

    /**
     * The version of what the kit's stages compute; it is part of every key. Bump it in a change that alters the
     * output of a stage for an unchanged configuration (training code, a model's layers, an evaluation), so that
     * caches written by older code are recomputed instead of reused. 2: gradients no longer read freed constants
     * ({@link org.icmlora.engine.Scalars}) and the detector trains without gradient clipping. 3: the one training loop
     * (per-epoch seeding), adapters as PEFT directories, evaluations kept per test item, whole test documents. 4: the
     * command line really uses the thread count it reports (it ran one intra-op thread per core before), keys cover
     * the computation settings, stored training reports leave out times and resume points, and the generators'
     * training noise comes from each epoch's own generator, not DJL's process-wide one (so stages can run side by
     * side).
     */
    public static final int COMPUTATION_VERSION = 4;
    static final String MANIFEST = Manifest.FILE;
    private static final String WORK_SUFFIX = ".work";
    private static final String STAGING_SUFFIX = ".staging";
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues()
            .create();
    private static final StoreActivity ACTIVITY = new StoreActivity();

    private final Path root;
    private final Supplier<ComputeSettings> settings;

    /** A store rooted at {@code root} (created on first write). */
    public ArtifactStore(Path root) {
        this(root, KitEngine::settings);
    }

    /** A store that records {@code settings} in its manifests (tests give fixed ones, without starting an engine). */
    ArtifactStore(Path root, Supplier<ComputeSettings> settings) {
        this.root = root.toAbsolutePath().normalize();
        this.settings = settings;
    }

    /** The store at {@link KitPaths#cache()}: {@code ICMLORA_CACHE}, else {@code .cache/artifacts} in the checkout. */
    public static ArtifactStore atDefaultLocation() {
        return new ArtifactStore(KitPaths.cache());
    }

    /** The directory this store keeps its outputs in. */
    public Path root() {
        return root;
    }

    /** What the stores of this JVM have done (computed, reused, waited), for one summary line per experiment. */
    public static StoreActivity activity() {
        return ACTIVITY;
    }

    // ---- keys -------------------------------------------------------------------------------------------------------

    /**
     * The key of a stage output that depends on {@code config} and on the outputs named by {@code inputs}, computed
     * with this JVM's {@link KitEngine#settings() settings}.
     */
    public static StageKey key(String stage, Object config, StageKey... inputs) {
        return key(COMPUTATION_VERSION, KitEngine.settings(), stage, config, inputs);
    }

    /** The key as computed by the kit at {@code computationVersion} with {@code settings}. */
    static StageKey key(int computationVersion, ComputeSettings settings, String stage, Object config,
            StageKey... inputs) {
        StringBuilder identity = new StringBuilder("computation ").append(computationVersion).append('\n')
                .append(GSON.toJson(canonical(GSON.toJsonTree(settings)))).append('\n')
                .append(stage).append('\n')
                .append(GSON.toJson(canonical(GSON.toJsonTree(config))));
        Arrays.stream(inputs).forEach(input -> identity.append('\n').append(input));
        return new StageKey(stage, AtomicFiles.sha256(identity.toString()).substring(0, 20), List.of(inputs));
    }

    // ---- computing and reusing --------------------------------------------------------------------------------------

    /** True when the output of {@code key} is fully written (a rename made it visible, so it is never partial). */
    public boolean isComplete(StageKey key) {
        return Files.isRegularFile(outputDir(key).resolve(MANIFEST));
    }

    /**
     * The output directory of {@code key}: reused when present, intact and made from its inputs as they are now;
     * else produced by {@code producer}, which fills the empty directory it is given. If another thread or process
     * is producing it, this call waits for it and then reuses its output.
     *
     * @throws CorruptArtifactException when the output is present but damaged (the message says how to repair it)
     */
    public Path getOrCompute(StageKey key, Object config, IoConsumer<Path> producer) {
        Path output = outputDir(key);
        if (isComplete(key) && problem(key).isEmpty()) {
            return reused(key, "reusing {}");
        }
        try (StageLock lock = StageLock.acquire(output, who -> {
            LOG.info("waiting for {} to finish {}", who, key);
            ACTIVITY.waited(key);
        })) {
            AtomicFiles.deleteQuietly(stagingDir(key)); // left by a killed run
            if (isComplete(key)) {
                Optional<Problem> problem = problem(key);
                if (problem.isEmpty()) {
                    AtomicFiles.deleteQuietly(workDirPath(key)); // left by a run killed after it published the output
                    return reused(key, "reusing {}, computed by another run meanwhile");
                }
                if (problem.get().kind() == Problem.Kind.DAMAGED) {
                    throw new CorruptArtifactException(problem.get().file(), problem.get().description());
                }
                LOG.warn("{}; recomputing it", problem.get().sentence());
                removeOutput(key);
            }
            compute(key, config, producer);
        }
        return output;
    }

    /**
     * The wall-clock seconds the output in {@code outputDir} took to compute, as its manifest records them (the output
     * itself leaves times out, so that it is the same bytes however it was computed); NaN for a manifest written before
     * the time was recorded.
     */
    public static double secondsToCompute(Path outputDir) {
        return Manifest.read(outputDir).seconds();
    }

    /**
     * A directory for resumable partial work of {@code key} (checkpoints): kept across crashes, removed on success.
     * It belongs to the thread computing {@code key}: ask for it inside the producer given to {@link #getOrCompute}.
     */
    public Path workDir(StageKey key) {
        if (!StageLock.isHeldInThisJvm(outputDir(key))) {
            throw new IllegalStateException("the work directory of " + key + " belongs to the run computing it; ask "
                    + "for it inside the producer given to getOrCompute");
        }
        Path dir = workDirPath(key);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create work directory " + dir, e);
        }
        return dir;
    }

    /** Checks every file of a complete output against its manifest; a damaged one is a CorruptArtifactException. */
    public void verify(StageKey key) {
        Path output = outputDir(key);
        Manifest manifest = Manifest.read(output);
        if (!manifest.key().equals(key.hash()) || !manifest.stage().equals(key.stage())) {
            throw new CorruptArtifactException(output.resolve(MANIFEST), "belongs to " + manifest.stage() + "/"
                    + manifest.key());
        }
        for (var entry : manifest.files().entrySet()) {
            Path file = output.resolve(entry.getKey());
            if (!Files.isRegularFile(file)) {
                throw new CorruptArtifactException(file, "is missing from a completed output");
            }
            long size = DiskUsage.bytes(file);
            if (size != entry.getValue().bytes()) {
                throw new CorruptArtifactException(file, "has " + size + " bytes, " + entry.getValue().bytes()
                        + " were written (truncated or altered)");
            }
            if (!AtomicFiles.sha256(file).equals(entry.getValue().sha256())) {
                throw new CorruptArtifactException(file, "does not match the SHA-256 recorded when it was written");
            }
        }
    }

    private Path reused(StageKey key, String message) {
        ACTIVITY.reused(key);
        LOG.debug(message, key);
        return outputDir(key);
    }

    private void compute(StageKey key, Object config, IoConsumer<Path> producer) {
        Path staging = stagingDir(key);
        long start = System.nanoTime();
        try {
            Files.createDirectories(staging);
            StageTimes.Clock clock = StageTimes.start(key);
            try {
                producer.accept(staging);
            } catch (CorruptArtifactException e) {
                if (!e.file().toAbsolutePath().normalize().startsWith(workDirPath(key))) {
                    throw e;
                }
                LOG.warn("{}: {}; computing {} again from scratch", e.file(), e.problem(), key);
                AtomicFiles.deleteQuietly(workDirPath(key));
                AtomicFiles.deleteQuietly(staging);
                producer.accept(Files.createDirectories(staging));
            } finally {
                clock.stop();
            }
            Map<String, Object> computation = new LinkedHashMap<>();
            computation.put("version", COMPUTATION_VERSION);
            computation.putAll(settings.get().describe());
            Manifest.write(staging, key, config, computation, inputContents(key), (System.nanoTime() - start) / 1e9);
            Path output = outputDir(key);
            AtomicFiles.deleteQuietly(output); // a directory without manifest: a removal that was killed midway
            AtomicFiles.moveAtomically(staging, output);
            ACTIVITY.computed(key);
        } catch (IOException e) {
            throw new UncheckedIOException(key + " failed: " + e.getMessage(), e);
        } finally {
            AtomicFiles.deleteQuietly(staging);
        }
        AtomicFiles.deleteQuietly(workDirPath(key));
    }

    /** Each input's content hash now (null for one that is absent: the producer did not need it). */
    private Map<String, String> inputContents(StageKey key) {
        Map<String, String> contents = new LinkedHashMap<>();
        for (StageKey input : key.inputs()) {
            contents.put(input.toString(), isComplete(input) ? Manifest.read(outputDir(input)).content() : null);
        }
        return contents;
    }

    // ---- checking, listing, removing --------------------------------------------------------------------------------

    /**
     * Something wrong with a complete output: a damaged file (its manifest included), or an input that changed since
     * the output was made from it (it is then recomputed on its next use).
     */
    public record Problem(StageKey key, Path file, String description, Kind kind) {

        /** Damaged outputs fail a run until repaired; stale ones are recomputed on their next use. */
        public enum Kind { DAMAGED, STALE }

        /** One line naming the file and what is wrong with it. */
        public String sentence() {
            return file + ": " + description;
        }
    }

    /**
     * One output directory of the store, as {@link #list()} reports it. A damaged manifest leaves {@code created}
     * "?", {@code inputs} empty and {@code bytes} measured on disk, and is described in {@code unreadable}.
     */
    public record StoredArtifact(StageKey key, Path dir, long bytes, String created, List<StageKey> inputs,
            String unreadable) {}

    /** Every output in the store that has a manifest, by stage then key; checksums are not checked (see check()). */
    public List<StoredArtifact> list() {
        List<StoredArtifact> found = new ArrayList<>();
        for (String stage : stages()) {
            for (Path output : children(root.resolve(stage))) {
                String name = output.getFileName().toString();
                if (!name.startsWith(".") && !name.endsWith(WORK_SUFFIX) && Files.exists(output.resolve(MANIFEST))) {
                    found.add(describe(new StageKey(stage, name), output));
                }
            }
        }
        return found;
    }

    private StoredArtifact describe(StageKey key, Path output) {
        try {
            Manifest manifest = Manifest.read(output);
            return new StoredArtifact(key, output, manifest.bytes(), manifest.created(),
                    manifest.inputs().keySet().stream().map(StageKey::parse).toList(), null);
        } catch (CorruptArtifactException e) {
            return new StoredArtifact(key, output, DiskUsage.bytes(output), "?", List.of(), e.problem());
        }
    }

    /** The stages that have a directory in the store, in name order. */
    public List<String> stages() {
        return children(root).stream().filter(Files::isDirectory).map(p -> p.getFileName().toString())
                .filter(name -> name.matches("[a-z0-9][a-z0-9-]*")).toList();
    }

    /** Checks every output: files against manifests, inputs against the contents recorded. */
    public List<Problem> check() {
        List<Problem> problems = new ArrayList<>();
        for (StoredArtifact artifact : list()) {
            problem(artifact.key()).ifPresent(problems::add);
        }
        return problems;
    }

    private Optional<Problem> problem(StageKey key) {
        Path output = outputDir(key);
        Manifest manifest;
        try {
            verify(key);
            manifest = Manifest.read(output);
        } catch (CorruptArtifactException e) {
            return Optional.of(new Problem(key, e.file(), e.problem(), Problem.Kind.DAMAGED));
        }
        for (var input : manifest.inputs().entrySet()) {
            if (input.getValue() == null) {
                continue;
            }
            StageKey inputKey = StageKey.parse(input.getKey());
            String now = currentContent(inputKey);
            if (!input.getValue().equals(now)) {
                return Optional.of(new Problem(key, output, "was made from " + inputKey + ", which "
                        + (now == null ? "is no longer in the cache" : "has other content now"), Problem.Kind.STALE));
            }
        }
        return Optional.empty();
    }

    private String currentContent(StageKey key) {
        try {
            return isComplete(key) ? Manifest.read(outputDir(key)).content() : null;
        } catch (CorruptArtifactException e) {
            return null;
        }
    }

    /**
     * What a removal took away: the outputs asked for, the outputs made from them (directly or not), and the bytes
     * freed, partial work included.
     */
    public record Removal(List<StageKey> outputs, List<StageKey> dependents, long bytes) {}

    /**
     * Removes every output and work directory of one stage, and every output made from one of them.
     *
     * @throws IllegalArgumentException when the store has no directory for {@code stage} (the message lists those
     *                                  it has)
     */
    public Removal clean(String stage) {
        if (!stages().contains(stage)) {
            List<String> stages = stages();
            throw new IllegalArgumentException("no stage '" + stage + "' in the cache " + root + (stages.isEmpty()
                    ? ", which is empty" : "; its stages are " + String.join(", ", stages)));
        }
        Set<StageKey> keys = new TreeSet<>(java.util.Comparator.comparing(StageKey::toString));
        for (Path entry : children(root.resolve(stage))) {
            keyOf(stage, entry.getFileName().toString()).ifPresent(keys::add);
        }
        return removeWithDependents(keys);
    }

    /**
     * Removes the outputs, partial work and staging directories of {@code keys} (for example those {@link #check()}
     * found bad) and every output made from one of them, each under its lock (waiting for a run computing it).
     */
    public Removal removeWithDependents(Collection<StageKey> requested) {
        Set<StageKey> keys = new LinkedHashSet<>(requested);
        List<StageKey> outputs = keys.stream().filter(this::isComplete).toList();
        List<StageKey> dependents = dependentsOf(keys);
        long bytes = 0;
        for (StageKey key : keys) {
            bytes += removeUnderLock(key);
        }
        for (StageKey key : dependents) {
            bytes += removeUnderLock(key);
        }
        return new Removal(outputs, dependents, bytes);
    }

    /** Outputs whose manifests list one of {@code keys} as input, directly or through other outputs. */
    private List<StageKey> dependentsOf(Set<StageKey> keys) {
        List<StoredArtifact> all = list();
        Set<StageKey> reached = new LinkedHashSet<>(keys);
        List<StageKey> dependents = new ArrayList<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (StoredArtifact artifact : all) {
                if (!reached.contains(artifact.key()) && artifact.inputs().stream().anyMatch(reached::contains)) {
                    reached.add(artifact.key());
                    dependents.add(artifact.key());
                    grew = true;
                }
            }
        }
        return dependents;
    }

    private long removeUnderLock(StageKey key) {
        try (StageLock lock = StageLock.acquire(outputDir(key), who -> LOG.info("waiting for {} to finish {} before"
                + " removing it", who, key))) {
            long bytes = DiskUsage.bytes(outputDir(key)) + DiskUsage.bytes(workDirPath(key))
                    + DiskUsage.bytes(stagingDir(key));
            removeOutput(key);
            AtomicFiles.deleteQuietly(workDirPath(key));
            AtomicFiles.deleteQuietly(stagingDir(key));
            return bytes;
        }
    }

    /** Deletes an output, its manifest first: a removal cut short leaves a directory that no longer counts. */
    private void removeOutput(StageKey key) {
        try {
            Files.deleteIfExists(outputDir(key).resolve(MANIFEST));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + outputDir(key) + ": " + e.getMessage(), e);
        }
        AtomicFiles.deleteQuietly(outputDir(key));
    }

    // ---- leftovers of killed runs -----------------------------------------------------------------------------------

    /** A directory a killed or failed run left behind, and whether the next run of its stage resumes from it. */
    public record Leftover(StageKey key, Path dir, long bytes, Kind kind) {

        /** What the directory is. */
        public enum Kind {
            /** a staging directory: the unfinished output of a killed run; removed by the next run */
            STAGING,
            /** the work directory of an output that is complete: removed by the next run */
            FINISHED_WORK,
            /** an output directory without manifest (a removal that was killed): removed by the next run */
            INCOMPLETE_OUTPUT,
            /** checkpoints of an output that is not complete: the next run of its stage resumes from them */
            RESUMABLE_WORK
        }
    }

    /** Every leftover directory that no thread or process is using now. */
    public List<Leftover> leftovers() {
        List<Leftover> found = new ArrayList<>();
        for (String stage : stages()) {
            for (Path entry : children(root.resolve(stage))) {
                String name = entry.getFileName().toString();
                Optional<StageKey> key = keyOf(stage, name);
                if (key.isEmpty() || !Files.isDirectory(entry) || !isIdle(key.get())) {
                    continue;
                }
                Leftover.Kind kind = name.endsWith(STAGING_SUFFIX) ? Leftover.Kind.STAGING
                        : name.endsWith(WORK_SUFFIX) ? (isComplete(key.get()) ? Leftover.Kind.FINISHED_WORK
                        : Leftover.Kind.RESUMABLE_WORK)
                        : isComplete(key.get()) ? null : Leftover.Kind.INCOMPLETE_OUTPUT;
                if (kind != null) {
                    found.add(new Leftover(key.get(), entry, DiskUsage.bytes(entry), kind));
                }
            }
        }
        return found;
    }

    /**
     * Removes the leftovers that no run will use: staging directories, work directories of complete outputs and
     * incomplete output directories, skipping those a running thread or process holds. Returns what it removed.
     */
    public List<Leftover> removeLeftovers() {
        List<Leftover> removed = new ArrayList<>();
        for (Leftover leftover : leftovers()) {
            if (leftover.kind() == Leftover.Kind.RESUMABLE_WORK) {
                continue;
            }
            Optional<StageLock> lock = StageLock.tryAcquire(outputDir(leftover.key()));
            if (lock.isPresent()) {
                try (StageLock held = lock.get()) {
                    if (leftover.kind() != Leftover.Kind.INCOMPLETE_OUTPUT || !isComplete(leftover.key())) {
                        AtomicFiles.deleteQuietly(leftover.dir());
                        removed.add(leftover);
                    }
                }
            }
        }
        return removed;
    }

    private boolean isIdle(StageKey key) {
        Optional<StageLock> lock = StageLock.tryAcquire(outputDir(key));
        lock.ifPresent(StageLock::close);
        return lock.isPresent();
    }

    /** The key a stage directory's entry belongs to: {@code <hash>}, {@code <hash>.work} or {@code .<hash>...}. */
    private static Optional<StageKey> keyOf(String stage, String entryName) {
        String name = entryName.startsWith(".") ? entryName.substring(1) : entryName;
        int dot = name.indexOf('.');
        String hash = dot < 0 ? name : name.substring(0, dot);
        return hash.matches("[0-9a-f]{8,}") ? Optional.of(new StageKey(stage, hash)) : Optional.empty();
    }

    Path outputDir(StageKey key) {
        return root.resolve(key.stage()).resolve(key.hash());
    }

    private Path workDirPath(StageKey key) {
        return root.resolve(key.stage()).resolve(key.hash() + WORK_SUFFIX);
    }

    private Path stagingDir(StageKey key) {
        return root.resolve(key.stage()).resolve("." + key.hash() + STAGING_SUFFIX);
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
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
}
