package org.icmlora.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stress test of a shared cache: in each round, three command-line processes run the same smoke experiment on
 * one empty cache, started a little apart (0-2 s, seeded) so that they meet at different stages. Every process must
 * exit 0 with results byte-identical to a single uninterrupted run ({@link ReferenceRun}), and the cache must hold
 * exactly that run's outputs: no second copy, no work or staging directory left.
 *
 * <p>Ten rounds by default; {@code -Dicmlora.stress.rounds=50} runs more (the figures in the README come from such a
 * run). Bounded to 25 minutes.
 */
class ConcurrentRunsTest {

    private static final int PROCESSES = 3;

    @TempDir
    Path work;

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void threeProcessesOnOneEmptyCacheComputeEveryOutputOnceAndAgreeWithASingleRun() throws Exception {
        ReferenceRun reference = ReferenceRun.get();
        int rounds = Integer.getInteger("icmlora.stress.rounds", 10);
        Random stagger = new Random(17);
        int waits = 0;
        long started = System.nanoTime();
        for (int round = 1; round <= rounds; round++) {
            Path cache = work.resolve("round-" + round).resolve("cache");
            List<KitCommand> runs = new ArrayList<>();
            for (int p = 1; p <= PROCESSES; p++) {
                runs.add(KitCommand.start(cache, work.resolve("round-" + round).resolve("reports-" + p),
                        work.resolve("round-" + round), "run-" + p, "run", ReferenceRun.EXPERIMENT, "--profile",
                        "smoke"));
                Thread.sleep(stagger.nextInt(2000));
            }
            for (int p = 1; p <= PROCESSES; p++) {
                KitCommand run = runs.get(p - 1);
                String where = "round " + round + ", process " + p + ":\n";
                assertEquals(0, run.waitFor(), where + run.transcript());
                assertEquals(reference.results, CacheSnapshot.of(work.resolve("round-" + round)
                        .resolve("reports-" + p).resolve("results")), where + "results differ from a single run");
                waits += run.stderr().split("waiting for another process", -1).length - 1;
            }
            assertEquals(reference.cache, CacheSnapshot.of(cache), "round " + round + ": the cache differs from a "
                    + "single run's (a second copy, another byte, or a leftover work or staging directory)");
        }
        System.out.printf("[stress] %d rounds of %d processes on one empty cache: all identical to a single run, "
                + "%d waits for another process, %.0f s%n", rounds, PROCESSES, waits,
                (System.nanoTime() - started) / 1e9);
        assertTrue(waits > 0, "the processes never met: the test exercised no lock");
    }
}
