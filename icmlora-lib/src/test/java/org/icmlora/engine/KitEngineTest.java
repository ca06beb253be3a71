package org.icmlora.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KitEngineTest {

    @Test
    void computesOnTheChosenDeviceOffline() {
        KitEngine.init(1); // the first init fixes the thread count for every later test in this JVM
        try (NDManager manager = KitEngine.newManager()) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            assertArrayEquals(new float[] {7, 10, 15, 22}, a.matMul(a).toFloatArray(), 1e-6f);
            assertEquals(KitEngine.device(), a.getDevice());
        }
        assertEquals("true", System.getProperty("ai.djl.offline"));
    }

    @Test
    void sameSeedGivesSameRandomNumbers() {
        try (NDManager manager = KitEngine.newManager()) {
            KitEngine.seed(42);
            float[] first = manager.randomNormal(new ai.djl.ndarray.types.Shape(5)).toFloatArray();
            KitEngine.seed(42);
            float[] second = manager.randomNormal(new ai.djl.ndarray.types.Shape(5)).toFloatArray();
            assertArrayEquals(first, second);
        }
    }

    @Test
    void settingsReportWhatPyTorchUses() {
        KitEngine.init(1);
        ComputeSettings settings = KitEngine.settings();
        assertEquals(ai.djl.pytorch.jni.JniUtils.getNumThreads(), settings.intraOpThreads());
        assertEquals(ai.djl.pytorch.jni.JniUtils.getNumInteropThreads(), settings.interOpThreads());
        assertEquals(1, settings.intraOpThreads());
        assertTrue(settings.engine().startsWith("PyTorch "), settings.engine());
    }

    /** PyTorch records on every new thread (a Jupyter kernel's snippet threads); the kit's first call stops that. */
    @Test
    void aNewThreadStopsRecordingWhenItFirstUsesTheKit() throws Exception {
        KitEngine.init(1);
        boolean[] recording = new boolean[2];
        Thread fresh = new Thread(() -> {
            recording[0] = JniUtils.isGradMode();
            KitEngine.device();
            recording[1] = JniUtils.isGradMode();
        });
        fresh.start();
        fresh.join();
        assertTrue(recording[0], "PyTorch's grad mode is on by default on a new thread");
        assertFalse(recording[1], "and off once the thread has asked the kit for its device");
    }

    /**
     * The command line once printed the engine's description before initialising it, so PyTorch started with one
     * thread per core while the kit reported one, and results differed with OMP_NUM_THREADS. Started in fresh JVMs
     * without OMP_NUM_THREADS (on a machine with one core the default is one thread and this cannot fail).
     */
    @Test
    void pyTorchRunsTheKitsThreadCountWhoeverStartsIt() throws Exception {
        for (String start : List.of("kit-first", "djl-first")) {
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                    EngineStartWorker.class.getName(), start).redirectErrorStream(false);
            builder.environment().remove("OMP_NUM_THREADS");
            builder.environment().remove(KitEngine.THREADS_SETTING);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.getErrorStream().transferTo(OutputStream.nullOutputStream());
            assertEquals(0, process.waitFor(), output);
            List<String> lines = output.lines().toList();
            assertTrue(lines.get(0).endsWith(", 1 threads"), start + ": " + output);
            assertEquals("1 1", lines.get(1), start + ": PyTorch's intra-op and inter-op threads");
        }
    }

    @Test
    void rejectsANonPositiveThreadCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KitEngine.init(0));
        assertEquals("ICMLORA_THREADS must be >= 1, got 0", e.getMessage());
    }
}
