package org.icmlora.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void threadNamesFallIntoGroups() {
        assertEquals("garbage collection", ProcessCpu.group("GC Thread#1"));
        assertEquals("garbage collection", ProcessCpu.group("G1 Conc#0"));
        assertEquals("JIT compiler", ProcessCpu.group("C2 CompilerThre"));
        assertEquals("icmlora-worker", ProcessCpu.group("icmlora-worker-"));
        assertEquals("icmlora-worker", ProcessCpu.group("icmlora-worker-1"));
        assertEquals("main and unnamed native threads", ProcessCpu.group("java"));
    }

    @Test
    void theGroupsOfThisProcessAddUpToNoMoreThanItsCpuTime() {
        Map<String, Double> groups = ProcessCpu.byThreadGroup();
        double total = ProcessCpu.seconds();
        assertTrue(total > 0, "a running JVM has used CPU");
        if (!groups.isEmpty()) { // Linux
            double sum = groups.values().stream().mapToDouble(Double::doubleValue).sum();
            assertTrue(sum <= total + 0.05 * total + 0.1, sum + " > " + total);
        }
    }
}
