package org.icmlora.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.icmlora.experiments.Cli;
import org.icmlora.store.AtomicFiles;

/**
 * One uninterrupted run of {@value #EXPERIMENT} at the smoke profile from an empty cache, inside the test JVM (as the
 * notebooks' kernel runs it, with the build's {@code OMP_NUM_THREADS=1}), done once per test JVM: the single run that
 * concurrent, killed and repaired command-line runs must match byte for byte. Table 6 is the smallest experiment
 * that has every kind of stage: base model, LoRA series, text and vision task vectors, generators, evaluations.
 */
final class ReferenceRun {

    /** The experiment the fault and stress tests run. */
    static final String EXPERIMENT = "table6";

    private static ReferenceRun run;

    /** Snapshot of the cache, and of {@code reports/results}. */
    final Map<String, String> cache;
    final Map<String, String> results;

    private ReferenceRun(Map<String, String> cache, Map<String, String> results) {
        this.cache = cache;
        this.results = results;
    }

    /** Runs the experiment on first call; later calls return the same snapshots. */
    static synchronized ReferenceRun get() throws Exception {
        if (run == null) {
            Path dir = Files.createTempDirectory("icmlora-reference");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> AtomicFiles.deleteQuietly(dir)));
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
            System.setProperty("ICMLORA_CACHE", dir.resolve("cache").toString());
            System.setProperty("ICMLORA_REPORTS", dir.resolve("reports").toString());
            try {
                assertEquals(0, new Cli(print, print).execute("run", EXPERIMENT, "--profile", "smoke", "--seed",
                        "2024"), output.toString(StandardCharsets.UTF_8));
            } finally {
                System.clearProperty("ICMLORA_CACHE");
                System.clearProperty("ICMLORA_REPORTS");
            }
            run = new ReferenceRun(CacheSnapshot.of(dir.resolve("cache")),
                    CacheSnapshot.of(dir.resolve("reports/results")));
        }
        return run;
    }
}
