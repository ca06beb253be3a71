package org.icmlora.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {

    private static final Map<String, Object> CONFIG = Map.of("rank", 2, "epochs", 10);

    @TempDir
    Path root;

    private ArtifactStore store() {
        return new ArtifactStore(root);
    }

    private static IoConsumer<Path> writes(String file, String text) {
        return dir -> Files.writeString(dir.resolve(file), text);
    }

    private List<String> entries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void keyFollowsStageConfigAndUpstreamKeys() {
        StageKey data = ArtifactStore.key("data", Map.of("seed", 1));
        StageKey key = ArtifactStore.key("lora", CONFIG, data);
        Map<String, Object> rankFirst = new java.util.LinkedHashMap<>();
        rankFirst.put("rank", 2);
        rankFirst.put("epochs", 10);
        Map<String, Object> epochsFirst = new java.util.LinkedHashMap<>();
        epochsFirst.put("epochs", 10);
        epochsFirst.put("rank", 2);
        assertEquals(ArtifactStore.key("lora", rankFirst, data), ArtifactStore.key("lora", epochsFirst, data),
                "a key does not depend on map iteration order");
        assertEquals(key, ArtifactStore.key("lora", epochsFirst, data));
        assertNotEquals(key, ArtifactStore.key("lora", Map.of("rank", 4, "epochs", 10), data));
        assertNotEquals(key, ArtifactStore.key("lora", CONFIG, ArtifactStore.key("data", Map.of("seed", 2))));
        assertNotEquals(key, ArtifactStore.key("lora", CONFIG));
        assertNotEquals(key.hash(), ArtifactStore.key("lora-two", CONFIG, data).hash());
        assertEquals("lora", key.stage());
        assertEquals(key, ArtifactStore.key(ArtifactStore.COMPUTATION_VERSION, "lora", CONFIG, data));
        assertNotEquals(key, ArtifactStore.key(ArtifactStore.COMPUTATION_VERSION - 1, "lora", CONFIG, data),
                "outputs of older code are not reused");
        assertThrows(IllegalArgumentException.class, () -> ArtifactStore.key("Lora Stage", CONFIG));
    }

    @Test
    void aCompleteOutputIsReusedWithoutRunningTheProducer() throws IOException {
        ArtifactStore store = store();
        StageKey key = ArtifactStore.key("lora", CONFIG);
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
    }

    @Test
    void aFailingProducerLeavesNothingThatCountsAndKeepsItsWorkDir() throws IOException {
        ArtifactStore store = store();
        StageKey key = ArtifactStore.key("lora", CONFIG);
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
    void aStagingDirectoryOfAKilledRunIsIgnored() throws IOException {
        ArtifactStore store = store();
        StageKey key = ArtifactStore.key("lora", CONFIG);
        // A run killed right after writing its manifest, before the rename; and an output without a manifest.
        Path staging = Files.createDirectories(root.resolve("lora").resolve("." + key.hash() + ".1234.staging"));
        Files.writeString(staging.resolve(ArtifactStore.MANIFEST), "{\"files\": {}}");
        Files.createDirectories(root.resolve("lora").resolve(key.hash()));
        assertFalse(store.isComplete(key));
        assertTrue(store.list().isEmpty());
        Path output = store.getOrCompute(key, CONFIG, writes("a.txt", "fresh"));
        assertEquals("fresh", Files.readString(output.resolve("a.txt")));
    }

    @Test
    void alteredOrTruncatedFilesAreDetectedOnReuse() throws IOException {
        ArtifactStore store = store();
        StageKey key = ArtifactStore.key("lora", CONFIG);
        Path output = store.getOrCompute(key, CONFIG, writes("a.txt", "0123456789"));
        Files.writeString(output.resolve("a.txt"), "0123456780");
        CorruptArtifactException altered = assertThrows(CorruptArtifactException.class,
                () -> store.getOrCompute(key, CONFIG, writes("a.txt", "never")));
        assertEquals(output.resolve("a.txt"), altered.file());
        assertTrue(altered.getMessage().contains("a.txt: does not match the SHA-256"), altered.getMessage());

        Files.writeString(output.resolve("a.txt"), "01234");
        CorruptArtifactException truncated = assertThrows(CorruptArtifactException.class, () -> store.verify(key));
        assertTrue(truncated.getMessage().contains("a.txt: has 5 bytes, 10 were written (truncated"),
                truncated.getMessage());

        Files.delete(output.resolve("a.txt"));
        CorruptArtifactException missing = assertThrows(CorruptArtifactException.class, () -> store.verify(key));
        assertTrue(missing.getMessage().contains("a.txt: is missing"), missing.getMessage());
    }

    @Test
    void listReportsCompleteOutputsAndCleanRemovesOneStage() throws IOException {
        ArtifactStore store = store();
        StageKey a1 = ArtifactStore.key("alpha", Map.of("n", 1));
        StageKey a2 = ArtifactStore.key("alpha", Map.of("n", 2));
        StageKey b = ArtifactStore.key("beta", Map.of("n", 1));
        store.getOrCompute(a1, Map.of("n", 1), writes("x.txt", "abc"));
        store.getOrCompute(a2, Map.of("n", 2), writes("x.txt", "abcdef"));
        store.getOrCompute(b, Map.of("n", 1), writes("y.txt", "z"));
        store.workDir(b); // in-progress work is not an output
        List<ArtifactStore.StoredArtifact> listed = store.list();
        assertEquals(3, listed.size());
        assertEquals(List.of("alpha", "alpha", "beta"), listed.stream().map(s -> s.key().stage()).toList());
        assertEquals(9, listed.stream().filter(s -> s.key().stage().equals("alpha")).mapToLong(s -> s.bytes()).sum());
        assertEquals(2, store.clean("alpha"));
        assertEquals(List.of(b), store.list().stream().map(ArtifactStore.StoredArtifact::key).toList());
        assertFalse(Files.exists(root.resolve("alpha")));
    }
}
