package org.icmlora.experiments.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.icmlora.engine.AllocatorSettings;
import org.icmlora.engine.EnvironmentVariables;
import org.icmlora.engine.KitEngine;

/**
 * What a benchmark prints beside its figures so that a reader can judge them: engine and threads, the OpenMP and
 * allocator settings, the CPU and the process's memory, read from {@code /proc} where it exists. The machine's load
 * (other processes share its cores) is {@link org.icmlora.engine.ProcessCpu#loadAverage()}.
 */
public final class MachineState {

    private MachineState() {}

    /** Engine, device, intra-op threads, the OpenMP and allocator settings, the cores and the CPU model. */
    public static String describe() {
        return KitEngine.describe() + " (" + EnvironmentVariables.describe("OMP_NUM_THREADS", "OMP_WAIT_POLICY")
                + "; " + AllocatorSettings.describe() + "), " + Runtime.getRuntime().availableProcessors() + " cores: "
                + cpuModel();
    }

    /** CPU time this process has used so far, all threads, in nanoseconds (Linux counts it in 10 ms ticks). */
    public static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Resident memory of this process now (VmRSS), in MiB, or -1 where unknown. */
    public static long residentMiB() {
        return statusMiB("VmRSS");
    }

    /** Peak resident memory of this process so far (VmHWM, monotone over the run), in MiB, or -1 where unknown. */
    public static long peakResidentMiB() {
        return statusMiB("VmHWM");
    }

    private static String cpuModel() {
        return read("/proc/cpuinfo").stream().filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    }

    private static long statusMiB(String key) {
        return read("/proc/self/status").stream().filter(line -> line.startsWith(key + ":"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10).findFirst().orElse(-1L);
    }

    private static List<String> read(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return List.of();
        }
    }
}
