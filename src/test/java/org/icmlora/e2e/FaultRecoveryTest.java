package org.icmlora.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile user's faults on one cache, each followed by the recovery a user would try, ending with the bytes of a
 * single uninterrupted run ({@link ReferenceRun}): kill -9 while each kind of stage is computed (base model, LoRA
 * series, task vectors, generator, evaluation) then rerun; a damaged training checkpoint; then a
 * damaged adapter, generator, metrics file, garbage manifest and empty manifest in the finished cache, which a run
 * names, {@code verify} lists and {@code repair} removes for the next run to recompute.
 */
class FaultRecoveryTest {

    @TempDir
    Path work;

    @AfterEach
    void stopLeftoverCommands() {
        KitCommand.killAll();
    }

    private Path cache() {
        return work.resolve("cache");
    }

    private KitCommand start(String name, String... args) throws IOException {
        return KitCommand.start(cache(), work.resolve("reports"), work.resolve("logs"), name, args);
    }

    private KitCommand run(String name, String... args) throws Exception {
        return KitCommand.run(cache(), work.resolve("reports"), work.resolve("logs"), name, args);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void killsAndDamagedFilesRecoverToTheBytesOfASingleRun() throws Exception {
        ReferenceRun reference = ReferenceRun.get();
        String[] table6 = ReferenceRun.COMMAND;

        // the order in which Table 6 reaches the stages (every generator is fitted before the first evaluation);
        // training stages are killed once they wrote a checkpoint
        for (String stage : List.of("detection-base", "detection-lora")) {
            KitCommand run = start("killed-in-" + stage, table6);
            killWhen(run, stage, () -> !workFiles(stage).isEmpty());
        }
        killAtItsFirstNewOutput("detection-taskvec", table6);
        KitCommand generator = start("killed-at-generator", table6);
        killWhen(generator, "detection-generator", () -> newestCheckpoint().isPresent());
        Path checkpoint = newestCheckpoint().orElseThrow();
        flipByte(checkpoint);
        KitCommand evaluation = killAtItsFirstNewOutput("detection-evaluation", table6);
        assertTrue(evaluation.stderr().contains(": the checkpoint of epoch "), evaluation.transcript());
        assertTrue(evaluation.stderr().contains(checkpoint.getFileName() + " does not match its recorded SHA-256"),
                evaluation.transcript());

        KitCommand resumed = run("resumed", table6);
        assertEquals(0, resumed.exitValue(), resumed.transcript());
        assertEquals(reference.cache, CacheSnapshot.of(cache()), "the cache after kills differs from a single run's");
        assertEquals(reference.results, CacheSnapshot.of(work.resolve("reports/results")));
        String timing = Files.readString(work.resolve("reports/results/smoke/seed-2024/timing.json"));
        assertTrue(timing.contains("\"allocator\": \"MALLOC_MMAP_THRESHOLD_=") && !timing.contains("=unset"),
                "icmlora.sh runs Java with environment/native-memory.sh's allocator settings:\n" + timing);

        List<Path> damaged = List.of(
                flipByte(firstFile("detection-lora", ".safetensors")),
                flipByte(firstFile("detection-generator", ".safetensors")),
                replace(firstFile("detection-evaluation", "evaluation.json"), "{\"map50\": 0.99}"),
                replace(files(cache().resolve("detection-taskvec"), "manifest.json"::equals).get(0), "garbage {"),
                replace(lastOf(files(cache().resolve("detection-taskvec"), "manifest.json"::equals)), ""));

        KitCommand failing = run("damaged", table6);
        assertEquals(1, failing.exitValue(), failing.transcript());
        List<String> failures = failing.stderr().lines().filter(l -> l.startsWith("icmlora: ")).toList();
        assertEquals(1, failures.size(), failing.transcript());
        assertTrue(damaged.stream().anyMatch(file -> failures.get(0).contains(file.toString()))
                && failures.get(0).endsWith("run 'bash environment/icmlora.sh repair' to remove the damaged outputs "
                + "and those made from them; the next run recomputes them."), failures.get(0));
        assertFalse(failing.stderr().contains("\tat org.icmlora"), "no stack trace without --debug");

        KitCommand verify = run("verify", "verify");
        assertEquals(1, verify.exitValue(), verify.transcript());
        for (Path file : damaged) {
            assertTrue(verify.stdout().contains("DAMAGED " + file + ": "),
                    file + " is not listed:\n" + verify.transcript());
        }
        KitCommand repair = run("repair", "repair");
        assertEquals(0, repair.exitValue(), repair.transcript());
        assertEquals(0, run("verified", "verify").exitValue());

        KitCommand repaired = run("repaired", table6);
        assertEquals(0, repaired.exitValue(), repaired.transcript());
        assertEquals(reference.cache, CacheSnapshot.of(cache()), "the repaired cache differs from a single run's");
        assertEquals(reference.results, CacheSnapshot.of(work.resolve("reports/results")));
    }

    /** Starts {@code args} and kills it (-9) as soon as a new output of {@code stage} appears. */
    private KitCommand killAtItsFirstNewOutput(String stage, String... args) throws Exception {
        List<Path> before = entries(cache().resolve(stage));
        KitCommand run = start("killed-in-" + stage, args);
        killWhen(run, stage, () -> entries(cache().resolve(stage)).stream().anyMatch(e -> !before.contains(e)));
        return run;
    }

    /** kill -9 of {@code run} as soon as {@code reached} holds (polled every 10 ms). */
    private static void killWhen(KitCommand run, String stage, IoCondition reached) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!reached.holds()) {
            if (!run.isAlive() || System.nanoTime() > deadline) {
                fail("the run " + (run.isAlive() ? "did not reach " : "ended before it reached ") + stage + ":\n"
                        + run.transcript());
            }
            Thread.sleep(10);
        }
        run.kill();
    }

    @FunctionalInterface
    private interface IoCondition {
        boolean holds() throws IOException;
    }

    /** The files in the work directories of {@code stage}: training checkpoints. */
    private List<Path> workFiles(String stage) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path dir : entries(cache().resolve(stage))) {
            if (dir.getFileName().toString().endsWith(".work")) {
                found.addAll(files(dir, name -> true));
            }
        }
        return found;
    }

    /** The newest CVAE checkpoint in a generator's work directory, if one is written. */
    private Optional<Path> newestCheckpoint() throws IOException {
        List<Path> checkpoints = new ArrayList<>();
        for (Path dir : entries(cache().resolve("detection-generator"))) {
            if (dir.getFileName().toString().endsWith(".work")) {
                checkpoints.addAll(files(dir, name -> name.startsWith("cvae-epoch-") && name.endsWith(".json")));
            }
        }
        return checkpoints.stream().max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString()
                .replaceAll("\\D", "")))).map(json -> json.resolveSibling(json.getFileName().toString()
                .replace(".json", ".safetensors")));
    }

    /** A file named like {@code suffix} in the first complete output of {@code stage}. */
    private Path firstFile(String stage, String suffix) throws IOException {
        for (Path output : entries(cache().resolve(stage))) {
            List<Path> found = files(output, name -> name.endsWith(suffix));
            if (Files.exists(output.resolve("manifest.json")) && !found.isEmpty()) {
                return found.get(0);
            }
        }
        throw new IllegalStateException("no " + suffix + " in " + stage);
    }

    private static Path lastOf(List<Path> paths) {
        return paths.get(paths.size() - 1);
    }

    private static Path flipByte(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        return file;
    }

    private static Path replace(Path file, String text) throws IOException {
        Files.writeString(file, text);
        return file;
    }

    private static List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> !p.getFileName().toString().equals(".lock")).sorted().toList();
        }
    }

    /**
     * The regular files under {@code dir} whose names match, sorted. The command under test may be writing there: a
     * temporary file renamed into place, or the whole work directory moved away, between the walk's listing and its
     * look at an entry ends that walk, and the files are listed again.
     */
    private static List<Path> files(Path dir, Predicate<String> name) throws IOException {
        while (true) {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                return walk.filter(Files::isRegularFile).filter(p -> name.test(p.getFileName().toString())).sorted()
                        .toList();
            } catch (NoSuchFileException e) {
                // the directory went while the walk opened it: look again
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException)) {
                    throw e;
                }
            }
        }
    }
}
