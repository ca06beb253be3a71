package org.icmlora.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each computed output is timed on its own: an input computed on the way is not counted twice. */
class StageTimesTest {

    @Test
    void anOutputsOwnTimeLeavesOutTheInputsItComputedOnTheWay(@TempDir Path dir) {
        ArtifactStore store = new ArtifactStore(dir, () -> ArtifactStoreTest.SETTINGS);
        StageKey input = ArtifactStoreTest.key("lora", Map.of("task", "a"));
        StageKey output = ArtifactStoreTest.key("generator", Map.of(), input);
        int mark = StageTimes.mark();

        store.getOrCompute(output, Map.of(), out -> {
            store.getOrCompute(input, Map.of("task", "a"), in -> {
                spin(300);
                Files.writeString(in.resolve("adapter.bin"), "a");
            });
            spin(100);
            Files.writeString(out.resolve("generator.bin"), "g");
        });
        store.getOrCompute(output, Map.of(), out -> {
            throw new AssertionError("reused, not computed again");
        });

        List<StageTimes.Entry> entries = StageTimes.since(mark);
        assertEquals(List.of(input, output), entries.stream().map(StageTimes.Entry::key).toList(), "in finishing order");
        StageTimes.Entry inner = entries.get(0);
        StageTimes.Entry outer = entries.get(1);
        assertTrue(inner.wallSeconds() >= 0.3 && inner.cpuSeconds() >= 0.25, inner.toString());
        assertTrue(outer.wallSeconds() >= 0.1 && outer.wallSeconds() < inner.wallSeconds(), outer.toString());
        assertTrue(outer.cpuSeconds() >= 0.05 && outer.cpuSeconds() < inner.cpuSeconds(), outer.toString());
        List<StageTimes.StageTotal> byStage = StageTimes.byStage(entries);
        assertEquals(List.of("lora", "generator"), byStage.stream().map(StageTimes.StageTotal::stage).toList());
        assertEquals(1, byStage.get(0).outputs());
        assertEquals(inner.cpuSeconds(), byStage.get(0).cpuSeconds(), 1e-12);
    }

    /** Busy for {@code millis} of this thread's CPU time. */
    private static void spin(long millis) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long end = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
        long sink = 0;
        while (threads.getCurrentThreadCpuTime() < end) {
            sink += System.nanoTime() % 7;
        }
        assertTrue(sink >= 0);
    }
}
