package org.icmlora.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stress test of a shared cache: in each round, three command-line processes run the same smoke experiment on
 * one empty cache, started a little apart (0-2 s, seeded) so that they meet at different stages. Every process must
 * exit 0 with results byte-identical to a single uninterrupted run ({@link ReferenceRun}), and the cache must hold
 * exactly that run's outputs: no second copy, no work or staging directory left.
 *
 * <p>Ten rounds by default; {@code -Dicmlora.stress.rounds=50} runs more (the figures in the README come from such a
 * run). Bounded to {@value #MINUTES_PER_ROUND} minutes a round, with the reference run (a round takes about half a
 * minute on an idle 2-core machine, two on one shared with 30 busy processes).
 */
class ConcurrentRunsTest {

    private static final int PROCESSES = 3;
    private static final int MINUTES_PER_ROUND = 3;

    @TempDir
    Path work;

    @AfterEach
    void stopLeftoverCommands() {
        KitCommand.killAll();
    }

    @Test
    void threeProcessesOnOneEmptyCacheComputeEveryOutputOnceAndAgreeWithASingleRun() {
        int rounds = Integer.getInteger("icmlora.stress.rounds", 10);
        assertTimeoutPreemptively(Duration.ofMinutes((long) MINUTES_PER_ROUND * (rounds + 1)), () -> stress(rounds));
    }

    private void stress(int rounds) throws Exception {
        ReferenceRun reference = ReferenceRun.get();
        Random stagger = new Random(17);
        int waits = 0;
        double slowest = 0;
        long started = System.nanoTime();
        for (int round = 1; round <= rounds; round++) {
            long roundStart = System.nanoTime();
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
            slowest = Math.max(slowest, (System.nanoTime() - roundStart) / 1e9);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("[stress] %d rounds of %d processes on one empty cache: all identical to a single run, "
                + "%d waits for another process, %.0f s (%.0f s a round, slowest %.0f s)%n", rounds, PROCESSES, waits,
                seconds, seconds / rounds, slowest);
        assertTrue(waits > 0, "the processes never met: the test exercised no lock");
    }
}
