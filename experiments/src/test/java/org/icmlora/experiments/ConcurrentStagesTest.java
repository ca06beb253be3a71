package org.icmlora.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.Profile;
import org.icmlora.engine.Workers;
import org.icmlora.store.ArtifactStore;
import org.icmlora.store.AtomicFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stages run side by side on two workers compute the same bytes as one after another: Table 1 at the smoke profile
 * (two seeds: base models, ten adapter series, task vectors, P-DIFF, CVAE and soup fits, fifty evaluations in batches)
 * into two fresh caches, one run with one worker and one with two while a third thread keeps seeding and drawing from
 * DJL's process-wide generator (so any draw made outside {@link KitEngine#seeded} would change), and every file of
 * every stage output compared.
 */
class ConcurrentStagesTest {

    private final int before = Workers.size();

    @AfterEach
    void restoreWorkers() {
        Workers.setSize(before);
    }

    @Test
    void twoWorkersWriteExactlyTheStageOutputsOfOne(@TempDir Path dir) throws InterruptedException {
        KitEngine.init(1);
        Map<String, String> sequential = run(1, dir.resolve("one"));
        AtomicBoolean running = new AtomicBoolean(true);
        Thread drawing = new Thread(() -> { // one more unit, seeding and drawing from DJL's generator all the time
            try (NDManager manager = KitEngine.newManager()) {
                for (long seed = 0; running.get(); seed++) {
                    KitEngine.seeded(seed, () -> manager.randomNormal(new Shape(16)).close());
                    LockSupport.parkNanos(200_000);
                }
            }
        });
        drawing.start();
        Map<String, String> concurrent;
        try {
            concurrent = run(2, dir.resolve("two"));
        } finally {
            running.set(false);
            drawing.join();
        }

        assertTrue(sequential.keySet().stream().anyMatch(f -> f.startsWith("detection-generator/")), "fits ran");
        assertTrue(sequential.keySet().stream().filter(f -> f.startsWith("detection-evaluation/")).count() >= 50,
                "every cell was evaluated and stored: " + sequential.keySet());
        assertEquals(sequential.keySet(), concurrent.keySet(), "the same stage outputs");
        sequential.forEach((file, sha) -> assertEquals(sha, concurrent.get(file), file));
    }

    /** Table 1 at smoke with {@code workers} workers into a fresh cache: SHA-256 of every output file but manifests. */
    private static Map<String, String> run(int workers, Path root) {
        Workers.setSize(workers);
        ArtifactStore store = new ArtifactStore(root.resolve("cache"));
        RunContext context = RunContext.of(Profile.SMOKE, List.of(), store, root.resolve("reports"));
        Experiments.byId("table1").run(context);
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(store.root())) {
            walk.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals("manifest.json"))
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .forEach(f -> files.put(store.root().relativize(f).toString(), contentHash(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** SHA-256 of a file; of a JSON file without its "seconds" members (how long a training took is no result). */
    private static String contentHash(Path file) {
        if (!file.toString().endsWith(".json")) {
            return AtomicFiles.sha256(file);
        }
        try {
            JsonElement json = JsonParser.parseString(Files.readString(file));
            return AtomicFiles.sha256(withoutSeconds(json).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonElement withoutSeconds(JsonElement json) {
        if (json.isJsonObject()) {
            JsonObject copy = new JsonObject();
            json.getAsJsonObject().entrySet().stream().filter(e -> !e.getKey().equals("seconds"))
                    .forEach(e -> copy.add(e.getKey(), withoutSeconds(e.getValue())));
            return copy;
        }
        if (json.isJsonArray()) {
            JsonArray copy = new JsonArray();
            json.getAsJsonArray().forEach(e -> copy.add(withoutSeconds(e)));
            return copy;
        }
        return json;
    }
}
