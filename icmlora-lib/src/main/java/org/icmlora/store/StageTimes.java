package org.icmlora.store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long each stage output of this JVM took to compute: wall-clock seconds and the CPU seconds of the thread that
 * computed it, both without the outputs it computed inside (an input made on demand is counted as its own stage, not
 * twice). With one intra-op thread PyTorch computes on the calling thread, so the CPU seconds are the stage's own work,
 * undisturbed by other processes on a shared machine; garbage collection and the JIT run on threads of their own and
 * are not in them (see {@code ProcessThreads} of the experiments for those). The command line reports the totals per
 * stage and per experiment. Safe to use from many threads.
 */
public final class StageTimes {

    /** One computed output: its key, the thread that computed it and its own wall and CPU seconds. */
    public record Entry(StageKey key, String thread, double wallSeconds, double cpuSeconds) {}

    /** All outputs of one stage: how many were computed and their summed own wall and CPU seconds. */
    public record StageTotal(String stage, int outputs, double wallSeconds, double cpuSeconds) {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final List<Entry> ENTRIES = new ArrayList<>();
    private static final ThreadLocal<Deque<Clock>> RUNNING = ThreadLocal.withInitial(ArrayDeque::new);

    private StageTimes() {}

    /** A running measurement of one output; {@link #stop()} records it. */
    static final class Clock {
        private final StageKey key;
        private final long wallStart = System.nanoTime();
        private final long cpuStart = THREADS.getCurrentThreadCpuTime();
        private long nestedWall;
        private long nestedCpu;

        private Clock(StageKey key) {
            this.key = key;
        }

        /** Records the output's own time (nested outputs' time taken out) and hands the total to the enclosing one. */
        void stop() {
            long wall = System.nanoTime() - wallStart;
            long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
            Deque<Clock> running = RUNNING.get();
            running.remove(this);
            Clock enclosing = running.peek();
            if (enclosing != null) {
                enclosing.nestedWall += wall;
                enclosing.nestedCpu += cpu;
            }
            record(new Entry(key, Thread.currentThread().getName(), (wall - nestedWall) / 1e9,
                    (cpu - nestedCpu) / 1e9));
        }
    }

    /** Starts measuring the output {@code key}, computed on this thread. */
    static Clock start(StageKey key) {
        Clock clock = new Clock(key);
        RUNNING.get().push(clock);
        return clock;
    }

    private static synchronized void record(Entry entry) {
        ENTRIES.add(entry);
    }

    /** A point to report from: {@code since(mark())} later gives what was computed in between. */
    public static synchronized int mark() {
        return ENTRIES.size();
    }

    /** The outputs computed since {@code mark}, in the order they finished. */
    public static synchronized List<Entry> since(int mark) {
        return List.copyOf(ENTRIES.subList(mark, ENTRIES.size()));
    }

    /** {@code entries} summed per stage, in the order each stage first finished. */
    public static List<StageTotal> byStage(List<Entry> entries) {
        Map<String, double[]> totals = new LinkedHashMap<>();
        for (Entry entry : entries) {
            double[] sum = totals.computeIfAbsent(entry.key().stage(), s -> new double[3]);
            sum[0]++;
            sum[1] += entry.wallSeconds();
            sum[2] += entry.cpuSeconds();
        }
        List<StageTotal> result = new ArrayList<>();
        totals.forEach((stage, sum) -> result.add(new StageTotal(stage, (int) sum[0], sum[1], sum[2])));
        return result;
    }
}
