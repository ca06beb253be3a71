package org.icmlora.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.icmlora.engine.ComputeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {

    /** Settings as a CPU run with one thread reports them; tests need no engine. */
    static final ComputeSettings SETTINGS = new ComputeSettings("0.35.1", "PyTorch 2.7.1", "cpu", 1, 1);
    private static final Map<String, Object> CONFIG = Map.of("rank", 2, "epochs", 10);

    @TempDir
    Path root;

    private ArtifactStore store() {
        return new ArtifactStore(root, () -> SETTINGS);
    }

    static StageKey key(String stage, Object config, StageKey... inputs) {
        return ArtifactStore.key(ArtifactStore.COMPUTATION_VERSION, SETTINGS, stage, config, inputs);
    }

    private static IoConsumer<Path> writes(String file, String text) {
        return dir -> Files.writeString(dir.resolve(file), text);
    }

    /** The entries of a stage directory, without the stage's lock file (which stays, empty). */
    private List<String> entries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(name -> !name.equals(StageLock.FILE)).sorted()
                    .toList();
        }
    }

    @Test
    void keyFollowsStageConfigUpstreamKeysAndComputeSettings() {
        StageKey data = key("data", Map.of("seed", 1));
        StageKey key = key("lora", CONFIG, data);
        Map<String, Object> rankFirst = new java.util.LinkedHashMap<>();
        rankFirst.put("rank", 2);
        rankFirst.put("epochs", 10);
        Map<String, Object> epochsFirst = new java.util.LinkedHashMap<>();
        epochsFirst.put("epochs", 10);
        epochsFirst.put("rank", 2);
        assertEquals(key("lora", rankFirst, data), key("lora", epochsFirst, data),
                "a key does not depend on map iteration order");
        assertEquals(key, key("lora", epochsFirst, data));
        assertNotEquals(key, key("lora", Map.of("rank", 4, "epochs", 10), data));
        assertNotEquals(key, key("lora", CONFIG, key("data", Map.of("seed", 2))));
        assertNotEquals(key, key("lora", CONFIG));
        assertNotEquals(key.hash(), key("lora-two", CONFIG, data).hash());
        assertEquals("lora", key.stage());
        assertEquals(List.of(data), key.inputs());
        assertNotEquals(key, ArtifactStore.key(ArtifactStore.COMPUTATION_VERSION - 1, SETTINGS, "lora", CONFIG, data),
                "outputs of older code are not reused");
        for (ComputeSettings other : List.of(new ComputeSettings("0.35.1", "PyTorch 2.7.1", "cpu", 2, 1),
                new ComputeSettings("0.35.1", "PyTorch 2.7.1", "cpu", 1, 2),
                new ComputeSettings("0.35.1", "PyTorch 2.5.1", "cpu", 1, 1),
                new ComputeSettings("0.35.1", "PyTorch 2.7.1", "gpu", 1, 1))) {
            assertNotEquals(key, ArtifactStore.key(ArtifactStore.COMPUTATION_VERSION, other, "lora", CONFIG, data),
                    "an output computed with " + other + " is not reused with " + SETTINGS);
        }
        assertThrows(IllegalArgumentException.class, () -> key("Lora Stage", CONFIG));
        assertEquals(key, StageKey.parse(key.toString()));
    }

    @Test
    void aCompleteOutputIsReusedWithoutRunningTheProducer() throws IOException {
        ArtifactStore store = store();
        StageKey key = key("lora", CONFIG);
        AtomicInteger runs = new AtomicInteger();
        IoConsumer<Path> producer = dir -> {
            runs.incrementAndGet();
            Files.writeString(dir.resolve("a.txt"), "adapter");
        };
        Path first = store.getOrCompute(key, CONFIG, producer);
        Path second = store.getOrCompute(key, CONFIG, producer);
        assertEquals(1, runs.get());
        assertEquals(first, second);
        assertEquals("adapter", Files.readString(second.resolve("a.txt")));
        assertTrue(store.isComplete(key));
        assertEquals(List.of(key.hash()), entries(root.resolve("lora")), "no staging or work directory is left");
        String manifest = Files.readString(first.resolve(ArtifactStore.MANIFEST));
        assertTrue(manifest.contains("\"intraOpThreads\": 1") && manifest.contains("\"OMP_NUM_THREADS\"")
                && manifest.contains("\"rank\": 2"), "the manifest records settings and configuration: " + manifest);
    }

    @Test
    void aFailingProducerLeavesNothingThatCountsAndKeepsItsWorkDir() throws IOException {
        ArtifactStore store = store();
        StageKey key = key("lora", CONFIG);
        IllegalStateException failure = assertThrows(IllegalStateException.class, () ->
                store.getOrCompute(key, CONFIG, dir -> {
                    Files.writeString(store.workDir(key).resolve("epoch-3.json"), "{}");
                    Files.writeString(dir.resolve("half.txt"), "half");
                    throw new IllegalStateException("killed at epoch 4");
                }));
        assertEquals("killed at epoch 4", failure.getMessage());
        assertFalse(store.isComplete(key));
        assertTrue(store.list().isEmpty());
        assertEquals(List.of(key.hash() + ".work"), entries(root.resolve("lora")));

        Path output = store.getOrCompute(key, CONFIG, dir -> {
            assertTrue(Files.exists(store.workDir(key).resolve("epoch-3.json")), "the rerun finds the saved work");
            Files.writeString(dir.resolve("done.txt"), "done");
        });
        assertEquals(List.of("done.txt", ArtifactStore.MANIFEST), entries(output));
        assertEquals(List.of(key.hash()), entries(root.resolve("lora")), "the work directory is removed on success");
    }

    @Test
    void theWorkDirectoryBelongsToTheRunComputingTheOutput() {
        ArtifactStore store = store();
        StageKey key = key("lora", CONFIG);
        IllegalStateException outside = assertThrows(IllegalStateException.class, () -> store.workDir(key));
        assertTrue(outside.getMessage().contains("belongs to the run computing it"), outside.getMessage());
        IllegalStateException cycle = assertThrows(IllegalStateException.class, () -> store.getOrCompute(key, CONFIG,
                dir -> store.getOrCompute(key, CONFIG, writes("a.txt", "a"))));
        assertTrue(cycle.getMessage().contains("cannot need its own output"), cycle.getMessage());
    }

    @Test
    void damagedWorkIsDiscardedAndTheOutputComputedFromScratch() throws IOException {
        ArtifactStore store = store();
        StageKey key = key("lora", CONFIG);
        AtomicInteger attempts = new AtomicInteger();
        Path output = store.getOrCompute(key, CONFIG, dir -> {
            Path checkpoint = store.workDir(key).resolve("epoch-3.safetensors");
            if (attempts.incrementAndGet() == 1) {
                Files.writeString(checkpoint, "flipped");
                throw new CorruptArtifactException(checkpoint, "does not match its recorded SHA-256");
            }
            assertFalse(Files.exists(checkpoint), "the second attempt starts without the damaged work");
            Files.writeString(dir.resolve("a.txt"), "from scratch");
        });
        assertEquals(2, attempts.get());
        assertEquals("from scratch", Files.readString(output.resolve("a.txt")));
    }

    @Test
    void alteredOrTruncatedFilesAreDetectedOnReuseAndNamedWithARepairThatWorks() throws IOException {
        ArtifactStore store = store();
        StageKey key = key("lora", CONFIG);
        Path output = store.getOrCompute(key, CONFIG, writes("a.txt", "0123456789"));
        Files.writeString(output.resolve("a.txt"), "0123456780");
        CorruptArtifactException altered = assertThrows(CorruptArtifactException.class,
                () -> store.getOrCompute(key, CONFIG, writes("a.txt", "never")));
        assertEquals(output.resolve("a.txt"), altered.file());
        assertTrue(altered.getMessage().contains("a.txt: does not match the SHA-256"), altered.getMessage());
        assertTrue(altered.getMessage().contains("icmlora.sh repair"), altered.getMessage());

        Files.writeString(output.resolve("a.txt"), "01234");
        CorruptArtifactException truncated = assertThrows(CorruptArtifactException.class, () -> store.verify(key));
        assertTrue(truncated.getMessage().contains("a.txt: has 5 bytes, 10 were written (truncated"),
                truncated.getMessage());

        Files.delete(output.resolve("a.txt"));
        CorruptArtifactException missing = assertThrows(CorruptArtifactException.class, () -> store.verify(key));
        assertTrue(missing.getMessage().contains("a.txt: is missing"), missing.getMessage());
        assertEquals(List.of(output.resolve("a.txt")), store.check().stream().map(ArtifactStore.Problem::file)
                .toList());

        store.removeWithDependents(List.of(key));
        assertEquals("fresh", Files.readString(store.getOrCompute(key, CONFIG, writes("a.txt", "fresh"))
                .resolve("a.txt")), "after the repair the next run recomputes it");
    }

    @Test
    void aDamagedManifestIsReportedLikeAnyDamagedFile() throws IOException {
        Map<String, String> damage = Map.of("garbage", "not json {", "empty", "", "truncated", "{\"stage\": \"lora\", ",
                "fieldless", "{\"stage\": \"lora\"}", "edited", "");
        for (var entry : damage.entrySet()) {
            ArtifactStore store = new ArtifactStore(root.resolve(entry.getKey()), () -> SETTINGS);
            StageKey key = key("lora", CONFIG);
            Path manifest = store.getOrCompute(key, CONFIG, writes("a.txt", "abc")).resolve(ArtifactStore.MANIFEST);
            String text = entry.getKey().equals("edited") ? Files.readString(manifest).replace("\"bytes\": 3",
                    "\"bytes\": 4") : entry.getValue();
            Files.writeString(manifest, text);

            List<ArtifactStore.StoredArtifact> listed = store.list(); // does not throw
            assertEquals(1, listed.size(), entry.getKey());
            assertTrue(listed.get(0).unreadable() != null, entry.getKey());
            List<ArtifactStore.Problem> problems = store.check();
            assertEquals(List.of(manifest), problems.stream().map(ArtifactStore.Problem::file).toList(),
                    entry.getKey());
            CorruptArtifactException onRun = assertThrows(CorruptArtifactException.class,
                    () -> store.getOrCompute(key, CONFIG, writes("a.txt", "abc")), entry.getKey());
            assertEquals(manifest, onRun.file(), entry.getKey());
            assertEquals(1, store.removeWithDependents(List.of(key)).outputs().size(), entry.getKey());
            assertTrue(store.list().isEmpty(), entry.getKey());
        }
    }

    @Test
    void anOutputIsRecomputedWhenAnInputItWasMadeFromChanged() throws IOException {
        ArtifactStore store = store();
        StageKey base = key("base", Map.of());
        StageKey lora = key("lora", CONFIG, base);
        AtomicInteger loraRuns = new AtomicInteger();
        IoConsumer<Path> trainLora = dir -> {
            loraRuns.incrementAndGet();
            Files.writeString(dir.resolve("adapter.txt"), "from " + Files.readString(store.outputDir(base)
                    .resolve("w.txt")));
        };
        store.getOrCompute(base, Map.of(), writes("w.txt", "base one"));
        store.getOrCompute(lora, CONFIG, trainLora);
        assertTrue(Files.readString(store.outputDir(lora).resolve(ArtifactStore.MANIFEST))
                .contains("\"" + base + "\": \""), "the manifest records the input's content");

        // the base is recomputed with the same bytes: the adapter made from it still holds
        Files.delete(store.outputDir(base).resolve(ArtifactStore.MANIFEST));
        store.getOrCompute(base, Map.of(), writes("w.txt", "base one"));
        store.getOrCompute(lora, CONFIG, trainLora);
        assertEquals(1, loraRuns.get());

        // recomputed with other bytes (say another thread count slipped through): the adapter is recomputed
        Files.delete(store.outputDir(base).resolve(ArtifactStore.MANIFEST));
        store.getOrCompute(base, Map.of(), writes("w.txt", "base two"));
        List<ArtifactStore.Problem> stale = store.check();
        assertEquals(List.of(ArtifactStore.Problem.Kind.STALE), stale.stream().map(ArtifactStore.Problem::kind)
                .toList());
        assertTrue(stale.get(0).sentence().contains("was made from " + base + ", which has other content now"),
                stale.get(0).sentence());
        Path adapter = store.getOrCompute(lora, CONFIG, trainLora);
        assertEquals(2, loraRuns.get());
        assertEquals("from base two", Files.readString(adapter.resolve("adapter.txt")));
        assertTrue(store.check().isEmpty());
    }

    @Test
    void cleanRemovesAStageAndEverythingMadeFromIt() throws IOException {
        ArtifactStore store = store();
        StageKey base = key("base", Map.of());
        StageKey lora = key("lora", CONFIG, base);
        StageKey evaluation = key("evaluation", Map.of(), lora);
        StageKey other = key("text", Map.of());
        store.getOrCompute(base, Map.of(), writes("w.txt", "w"));
        store.getOrCompute(lora, CONFIG, writes("a.txt", "a"));
        store.getOrCompute(evaluation, Map.of(), writes("m.json", "{}"));
        store.getOrCompute(other, Map.of(), writes("v.json", "[]"));

        ArtifactStore.Removal removal = store.clean("base");
        assertEquals(List.of(base), removal.outputs());
        assertEquals(List.of(lora, evaluation), removal.dependents());
        assertEquals(List.of(other), store.list().stream().map(ArtifactStore.StoredArtifact::key).toList());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> store.clean("bsae"));
        assertTrue(unknown.getMessage().contains("no stage 'bsae' in the cache")
                && unknown.getMessage().contains("its stages are base, evaluation, lora, text"), unknown.getMessage());
    }

    @Test
    void listReportsCompleteOutputsWithSizes() throws IOException {
        ArtifactStore store = store();
        StageKey a1 = key("alpha", Map.of("n", 1));
        StageKey a2 = key("alpha", Map.of("n", 2));
        StageKey b = key("beta", Map.of("n", 1), a1);
        store.getOrCompute(a1, Map.of("n", 1), writes("x.txt", "abc"));
        store.getOrCompute(a2, Map.of("n", 2), writes("x.txt", "abcdef"));
        store.getOrCompute(b, Map.of("n", 1), writes("y.txt", "z"));
        List<ArtifactStore.StoredArtifact> listed = store.list();
        assertEquals(List.of("alpha", "alpha", "beta"), listed.stream().map(s -> s.key().stage()).toList());
        assertEquals(9, listed.stream().filter(s -> s.key().stage().equals("alpha")).mapToLong(s -> s.bytes()).sum());
        assertEquals(List.of(a1), listed.get(2).inputs());
        assertNull(listed.get(0).unreadable());
        assertEquals(2, store.clean("alpha").outputs().size());
        assertTrue(store.list().isEmpty(), "beta was made from alpha");
    }

    @Test
    void leftoversOfKilledRunsAreCountedAndRemovedByTheNextRun() throws IOException {
        ArtifactStore store = store();
        StageKey done = key("lora", Map.of("n", 1));
        StageKey unfinished = key("lora", Map.of("n", 2));
        store.getOrCompute(done, Map.of(), writes("a.txt", "a"));
        Path stage = root.resolve("lora");
        // what kill -9 leaves: a staging directory (old and new naming), the work of an output that got published,
        // the work of one that did not, and an output whose removal was cut short
        Files.createDirectories(stage.resolve("." + unfinished.hash() + ".staging"));
        Files.writeString(Files.createDirectories(stage.resolve("." + unfinished.hash() + ".1234-abcd.staging"))
                .resolve("half.bin"), "half");
        Files.writeString(Files.createDirectories(stage.resolve(done.hash() + ".work")).resolve("e.json"), "{}");
        Files.writeString(Files.createDirectories(stage.resolve(unfinished.hash() + ".work")).resolve("e.json"), "{}");
        StageKey removed = key("lora", Map.of("n", 3));
        Files.writeString(Files.createDirectories(stage.resolve(removed.hash())).resolve("a.txt"), "a");

        Map<ArtifactStore.Leftover.Kind, Long> kinds = new java.util.TreeMap<>();
        store.leftovers().forEach(l -> kinds.merge(l.kind(), 1L, Long::sum));
        assertEquals(Map.of(ArtifactStore.Leftover.Kind.STAGING, 2L, ArtifactStore.Leftover.Kind.FINISHED_WORK, 1L,
                ArtifactStore.Leftover.Kind.RESUMABLE_WORK, 1L, ArtifactStore.Leftover.Kind.INCOMPLETE_OUTPUT, 1L),
                kinds);
        assertEquals(4, store.removeLeftovers().size());
        assertEquals(Stream.of(done.hash(), unfinished.hash() + ".work").sorted().toList(), entries(stage),
                "only the work a rerun resumes from is kept");
    }
}
