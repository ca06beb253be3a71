package org.icmlora.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One output is computed once however many threads and processes ask for it at the same time: the others wait and
 * reuse it, no one sees another's partial work, and a killed holder's lock passes on.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ArtifactStoreConcurrencyTest {

    private static final Map<String, Object> CONFIG = Map.of("n", 1);

    @TempDir
    Path root;

    @Test
    void threadsOfOneProcessComputeAnOutputOnceAndReuseIt() throws Exception {
        ArtifactStore store = new ArtifactStore(root, () -> ArtifactStoreTest.SETTINGS);
        StageKey key = ArtifactStoreTest.key("lora", CONFIG);
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> outputs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                outputs.add(threads.submit(() -> {
                    start.await();
                    return store.getOrCompute(key, CONFIG, dir -> {
                        runs.incrementAndGet();
                        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Files.writeString(store.workDir(key).resolve("checkpoint.txt"), "mine");
                        sleep(300);
                        Files.writeString(dir.resolve("adapter.txt"), "trained once");
                        inside.decrementAndGet();
                    });
                }));
            }
            start.countDown();
            for (Future<Path> output : outputs) {
                assertEquals(store.outputDir(key), output.get(1, TimeUnit.MINUTES));
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(1, runs.get(), "the output is computed once");
        assertEquals(1, mostInside.get());
        assertEquals(List.of(key.hash()), stageEntries(), "no work or staging directory is left");
    }

    @Test
    void threadsComputeDifferentOutputsAtTheSameTime() throws Exception {
        ArtifactStore store = new ArtifactStore(root, () -> ArtifactStoreTest.SETTINGS);
        CyclicBarrier bothInside = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Path>> outputs = new ArrayList<>();
            for (int n = 1; n <= 2; n++) {
                Map<String, Object> config = Map.of("n", n);
                outputs.add(threads.submit(() -> store.getOrCompute(ArtifactStoreTest.key("lora", config), config,
                        dir -> {
                            try {
                                bothInside.await(30, TimeUnit.SECONDS); // fails unless the other producer runs too
                            } catch (Exception e) {
                                throw new IOException("the two outputs were not computed at the same time", e);
                            }
                            Files.writeString(dir.resolve("a.txt"), config.toString());
                        })));
            }
            for (Future<Path> output : outputs) {
                output.get(1, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void processesComputeAnOutputOnceWhileTheOthersWaitAndReuseIt() throws Exception {
        Path journal = root.resolve("journal.txt");
        List<Process> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            workers.add(worker(journal, "compute", 1500));
        }
        List<String> outputs = new ArrayList<>();
        StringBuilder logs = new StringBuilder();
        for (Process worker : workers) {
            assertTrue(worker.waitFor(2, TimeUnit.MINUTES), "a worker did not finish");
            String log = new String(worker.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            logs.append(log);
            assertEquals(0, worker.exitValue(), log);
            outputs.add(new String(worker.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        }
        List<String> lines = Files.readAllLines(journal);
        assertEquals(2, lines.size(), "one producer ran, from start to end: " + lines);
        assertEquals(lines.get(0).substring("start ".length()), lines.get(1).substring("end ".length()));
        assertEquals(1, outputs.stream().distinct().count(), outputs.toString());
        assertEquals("trained once", Files.readString(Path.of(outputs.get(0)).resolve("adapter.txt")));
        assertTrue(logs.toString().contains("waiting for another process to finish lora/"), logs.toString());
        assertEquals(List.of(ArtifactStoreTest.key("lora", CONFIG).hash()), stageEntries());
    }

    @Test
    void aKilledHoldersLockPassesOnAndItsPartialOutputIsDiscarded() throws Exception {
        Path journal = root.resolve("journal.txt");
        Process holder = worker(journal, "hang", 0);
        for (long waited = 0; !(Files.exists(journal) && Files.readString(journal).startsWith("start")); waited += 50) {
            assertTrue(waited < 60_000 && holder.isAlive(), "the worker never started its producer");
            Thread.sleep(50);
        }
        holder.destroyForcibly().waitFor(); // SIGKILL: no clean-up runs
        ArtifactStore store = new ArtifactStore(root, () -> ArtifactStoreTest.SETTINGS);
        StageKey key = ArtifactStoreTest.key("lora", CONFIG);
        Path output = store.getOrCompute(key, CONFIG, dir -> {
            assertTrue(Files.exists(store.workDir(key).resolve("checkpoint.txt")), "the killed run's work is resumed");
            Files.writeString(dir.resolve("adapter.txt"), "resumed");
        });
        try (Stream<Path> files = Files.list(output)) {
            assertEquals(List.of("adapter.txt", ArtifactStore.MANIFEST), files.map(f -> f.getFileName().toString())
                    .sorted().toList(), "nothing of the killed run's staging directory is published");
        }
        assertEquals(List.of(key.hash()), stageEntries());
    }

    /**
     * Two processes whose threads wait for outputs the other holds, without a cycle among the stages: this process
     * holds output 1 and waits for output 2, the worker holds output 2 and needs output 1 as its input. POSIX locks
     * belong to a process, so a blocking file lock would be refused here as a deadlock; both must finish.
     */
    @Test
    void processesWaitingForEachOthersOutputsInDifferentThreadsAllFinish() throws Exception {
        ArtifactStore store = new ArtifactStore(root, () -> ArtifactStoreTest.SETTINGS);
        Map<String, Object> one = Map.of("n", 1);
        Map<String, Object> two = Map.of("n", 2);
        Path journal = root.resolve("journal.txt");
        CountDownLatch holdingOne = new CountDownLatch(1);
        CountDownLatch releaseOne = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Path> first = threads.submit(() -> store.getOrCompute(ArtifactStoreTest.key("lora", one), one,
                    dir -> {
                        holdingOne.countDown();
                        await(releaseOne);
                        Files.writeString(dir.resolve("adapter.txt"), "computed by this process");
                    }));
            assertTrue(holdingOne.await(1, TimeUnit.MINUTES));
            Process worker = worker(journal, "2", "needs-1", 0);
            for (long waited = 0; !(Files.exists(journal) && Files.readString(journal).startsWith("start"));
                    waited += 50) {
                assertTrue(waited < 60_000 && worker.isAlive(), "the worker never started its producer");
                Thread.sleep(50);
            }
            Future<Path> second = threads.submit(() -> store.getOrCompute(ArtifactStoreTest.key("lora", two), two,
                    dir -> Files.writeString(dir.resolve("adapter.txt"), "computed by this process")));
            Thread.sleep(500); // both processes now wait for the other
            releaseOne.countDown();
            assertEquals("computed by this process", Files.readString(first.get(1, TimeUnit.MINUTES)
                    .resolve("adapter.txt")));
            assertTrue(worker.waitFor(1, TimeUnit.MINUTES), "the worker did not finish");
            assertEquals(0, worker.exitValue(), new String(worker.getErrorStream().readAllBytes(),
                    StandardCharsets.UTF_8));
            assertEquals("trained once", Files.readString(second.get(1, TimeUnit.MINUTES).resolve("adapter.txt")),
                    "the worker's output, reused");
        } finally {
            releaseOne.countDown();
            threads.shutdownNow();
        }
    }

    private Process worker(Path journal, String mode, long millis) throws IOException {
        return worker(journal, "1", mode, millis);
    }

    private Process worker(Path journal, String n, String mode, long millis) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StoreWorker.class.getName(), root.toString(), n,
                Long.toString(millis), journal.toString(), mode).start();
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    private List<String> stageEntries() throws IOException {
        try (Stream<Path> entries = Files.list(root.resolve("lora"))) {
            return entries.map(p -> p.getFileName().toString()).filter(name -> !name.equals(StageLock.FILE))
                    .sorted().toList();
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException("interrupted");
        }
    }
}
