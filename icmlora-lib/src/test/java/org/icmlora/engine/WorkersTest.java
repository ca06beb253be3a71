package org.icmlora.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker pool: results in order, units side by side, nested calls, failures. */
class WorkersTest {

    private final int before = Workers.size();

    @AfterEach
    void restore() {
        Workers.setSize(before);
    }

    private static List<Integer> upTo(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void resultsComeBackInTheItemsOrderWhateverTheWorkers() {
        for (int workers : new int[] {1, 2, 3}) {
            Workers.setSize(workers);
            List<Integer> squares = Workers.map(upTo(50), i -> {
                Thread.onSpinWait();
                return i * i;
            });
            assertEquals(upTo(50).stream().map(i -> i * i).toList(), squares, workers + " workers");
        }
    }

    @Test
    void twoWorkersRunTwoUnitsAtOnce() {
        Workers.setSize(2);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CyclicBarrier firstTwo = new CyclicBarrier(2);
        Workers.forEach(upTo(6), i -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            threads.add(Thread.currentThread().getName());
            if (i < 2) {
                try {
                    firstTwo.await(60, TimeUnit.SECONDS); // passes only when both run at once
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new IllegalStateException("the first two units did not run side by side", e);
                }
            }
            sleep(20);
            running.decrementAndGet();
        });
        assertEquals(2, most.get(), "never more units at once than workers");
        assertTrue(threads.contains(Thread.currentThread().getName()), "the caller works too: " + threads);
    }

    @Test
    void loweringTheSizeLowersTheUnitsRunAtOnce() {
        Workers.setSize(3);
        CyclicBarrier firstThree = new CyclicBarrier(3);
        Workers.forEach(upTo(3), i -> { // two worker threads now exist
            try {
                firstThree.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new IllegalStateException("three units did not run side by side", e);
            }
        });
        Workers.setSize(2);
        for (int round = 0; round < 5; round++) {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            Workers.forEach(upTo(8), i -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                sleep(10);
                running.decrementAndGet();
            });
            assertTrue(most.get() <= 2, "round " + round + ": " + most.get() + " units at once with 2 workers");
        }
    }

    @Test
    void oneWorkerRunsEverythingOnTheCallingThread() {
        Workers.setSize(1);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Workers.forEach(upTo(5), i -> threads.add(Thread.currentThread()));
        assertEquals(Set.of(Thread.currentThread()), threads);
    }

    @Test
    void unitsMayMapAgainWithoutWaitingForAFreeWorker() {
        Workers.setSize(2);
        List<Integer> sums = Workers.map(upTo(4), i -> Workers.map(upTo(i + 3), j -> {
            sleep(5);
            return j;
        }).stream().mapToInt(Integer::intValue).sum());
        assertEquals(List.of(3, 6, 10, 15), sums);
    }

    @Test
    void theFirstFailureIsThrownAndUnitsNotStartedAreSkipped() {
        Workers.setSize(2);
        AtomicInteger ran = new AtomicInteger();
        IllegalStateException failure = new IllegalStateException("unit 3 failed");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Workers.forEach(upTo(200),
                i -> {
                    ran.incrementAndGet();
                    if (i == 3) {
                        throw failure;
                    }
                    sleep(2);
                }));
        assertSame(failure, thrown);
        assertTrue(ran.get() < 200, "units after the failure were skipped, ran " + ran.get());
    }

    @Test
    void aBadWorkerCountIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workers.setSize(0));
        assertTrue(e.getMessage().contains(">= 1"), e.getMessage());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
