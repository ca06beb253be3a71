package org.icmlora.engine;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where this process's CPU time went: in all, and per group of threads (the kit's workers, garbage collection, the JIT
 * compiler, PyTorch's own threads, ...). On a machine shared with other processes wall-clock time says little, CPU
 * time says what the kit did; and the groups answer what a second core is busy with while the kit computes on one
 * intra-op thread. The groups come from the thread names in {@code /proc/self/task} (Linux); elsewhere there are none.
 */
public final class ProcessCpu {

    private static final long TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the kit runs on

    private ProcessCpu() {}

    /** CPU seconds this process has used so far, all threads (including those that have ended). */
    public static double seconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean bean ? bean.getProcessCpuTime() / 1e9
                : Double.NaN;
    }

    /** The 1, 5 and 15 minute load averages of the machine ({@code /proc/loadavg}), or "unknown". */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * CPU seconds of the live threads, summed per group, largest first: {@code garbage collection} (G1's threads),
     * {@code JIT compiler}, {@code main and unnamed native threads} (the launcher's main thread and native threads such
     * as OpenMP's, all called "java"), and otherwise the thread's name without its trailing number
     * ({@code icmlora-worker}). Threads that ended are not counted.
     */
    public static Map<String, Double> byThreadGroup() {
        Map<String, Double> groups = new LinkedHashMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return groups;
        }
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) TICKS_PER_SECOND;
                groups.merge(group(name), seconds, Double::sum);
            }
        } catch (IOException e) {
            return groups;
        }
        List<Map.Entry<String, Double>> sorted = groups.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList();
        Map<String, Double> result = new LinkedHashMap<>();
        sorted.forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    /** The group of a thread name as {@code /proc} shows it (at most 15 characters). */
    static String group(String threadName) {
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ")) {
            return "garbage collection";
        }
        if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
            return "JIT compiler";
        }
        if (threadName.equals("java")) { // the launcher's main thread and native threads it did not name (OpenMP's)
            return "main and unnamed native threads";
        }
        return threadName.replaceAll("[-#]?\\d*$", "");
    }
}
