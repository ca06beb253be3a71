package org.icmlora.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the kit talks to DJL's engine: offline mode, thread count, log noise, device choice and
 * seeding.
 *
 * <p>Call {@link #init()} (or {@link #init(int)}) before anything else touches DJL: the offline flag is read once,
 * when the PyTorch engine loads. The thread counts are also set on an engine that something else started first, and
 * read back from it, so {@link #settings()} reports what PyTorch really uses (an engine started without them runs one
 * thread per core, or {@code OMP_NUM_THREADS}). The device is the first GPU when DJL sees one and the CPU otherwise;
 * the choice is logged because DJL silently falls back to the CPU when no CUDA runtime is found.
 */
public final class KitEngine {

    /** Environment variable or system property that sets the number of intra-op threads. */
    public static final String THREADS_SETTING = "ICMLORA_THREADS";

    /** Held while DJL's process-wide generator is seeded and drawn from ({@link #seeded}). */
    private static final ReentrantLock RANDOM = new ReentrantLock();

    private static volatile Device device;
    private static volatile ComputeSettings settings;

    /** Whether {@link #device()} has turned PyTorch's recording off on this thread. */
    private static final ThreadLocal<Boolean> THREAD_SET_UP = ThreadLocal.withInitial(() -> false);

    private KitEngine() {}

    /**
     * Initialises the engine with the thread count from {@code ICMLORA_THREADS}, else one thread. One thread makes a
     * rerun bit-identical (multi-threaded sums change their order); for the kit's small models a second thread gains
     * little on a 2-core machine, and in the kit's quick runs with two threads some LoRA trainings diverged to NaN
     * that never did with one. A GPU run is unaffected: this sets only the CPU's intra-op threads.
     */
    public static synchronized void init() {
        init(threadsFromEnvironment());
    }

    /**
     * Initialises the engine once: offline DJL, {@code threads} intra-op threads and one inter-op thread, quiet CUDA
     * probe, device choice. Later calls only log a warning if they ask for a different thread count.
     */
    public static synchronized void init(int threadCount) {
        if (threadCount < 1) {
            throw new IllegalArgumentException(THREADS_SETTING + " must be >= 1, got " + threadCount);
        }
        if (device != null) {
            if (threadCount != settings.intraOpThreads()) {
                log().warn("engine already started with {} threads; ignoring request for {}",
                        settings.intraOpThreads(), threadCount);
            }
            return;
        }
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threadCount));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        // DJL probes for CUDA at start-up and warns when the toolkit is present without a driver: harmless here.
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.pytorch.jni.LibUtils", "warn");
        Engine engine = Engine.getEngine("PyTorch");
        applyThreads(threadCount);
        Device chosen = engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        settings = new ComputeSettings(Engine.getDjlVersion(), engine.getEngineName() + " " + engine.getVersion(),
                chosen.getDeviceType(), JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
        device = chosen;
        log().info("DJL {} {} on {} with {} intra-op and {} inter-op threads", engine.getEngineName(),
                engine.getVersion(), device, settings.intraOpThreads(), settings.interOpThreads());
    }

    /**
     * Sets the thread counts on the running engine. The system properties of {@link #init(int)} act only when the
     * engine starts there; one started earlier (by a notebook cell or a library touching DJL first) has one thread
     * per core, which changes every sum's order and so the bytes of every trained model.
     */
    private static void applyThreads(int threadCount) {
        if (JniUtils.getNumThreads() != threadCount) {
            JniUtils.setNumThreads(threadCount);
        }
        if (JniUtils.getNumInteropThreads() != 1) {
            try {
                JniUtils.setNumInteropThreads(1);
            } catch (RuntimeException e) {
                log().warn("PyTorch keeps {} inter-op threads: it was started before the kit set them ({})",
                        JniUtils.getNumInteropThreads(), e.getMessage());
            }
        }
    }

    /**
     * The device every model and array of the kit uses; initialises the engine on first use, and sets up each thread
     * that asks for the first time: PyTorch records operations for backward on every new thread (its grad mode is per
     * thread and on by default), while the engine turned recording off on the thread that started it only. A Jupyter
     * kernel runs each snippet on a pooled thread, sometimes a new one, where the optimiser's in-place update of a
     * weight would fail ("a leaf Variable that requires grad is being used in an in-place operation") and every
     * forward pass would keep its graph. The kit records only inside {@link #newGradientCollector()}.
     */
    public static Device device() {
        if (device == null) {
            init();
        }
        if (!THREAD_SET_UP.get()) {
            JniUtils.setGradMode(false);
            THREAD_SET_UP.set(true);
        }
        return device;
    }

    /** True when a GPU was found. */
    public static boolean onGpu() {
        return device().isGpu();
    }

    /** Intra-op thread count in use. */
    public static int threads() {
        return settings().intraOpThreads();
    }

    /** What, besides configuration and inputs, decides the bytes the engine computes; part of every cache key. */
    public static ComputeSettings settings() {
        device();
        return settings;
    }

    /**
     * Seeds DJL's random generator (parameter initialisation, dropout, {@code randomNormal}) for the draws that follow
     * on this thread: for single-threaded code (tests, notebooks, benchmarks). The generator is one for the whole
     * process, so code that may run beside other units ({@link Workers}) draws only inside {@link #seeded}.
     */
    public static void seed(long seed) {
        device();
        RANDOM.lock();
        try {
            Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
        } finally {
            RANDOM.unlock();
        }
    }

    /**
     * Runs {@code draws} with DJL's generator seeded by {@code seed}, while no other thread uses the generator: its
     * draws (a model's initial weights, an adapter's A) are then those of a sequential run however many units run
     * beside it. PyTorch's generator is one for the whole process; every draw of the kit's library code from it
     * happens in here (noise during training comes from each epoch's own {@link java.util.Random} instead).
     */
    public static <T> T seeded(long seed, Supplier<T> draws) {
        device();
        RANDOM.lock();
        try {
            Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
            return draws.get();
        } finally {
            RANDOM.unlock();
        }
    }

    /** {@link #seeded(long, Supplier)} for draws that return nothing. */
    public static void seeded(long seed, Runnable draws) {
        seeded(seed, () -> {
            draws.run();
            return null;
        });
    }

    /**
     * Records this thread's operations for a backward pass until closed; use it instead of DJL's
     * {@code Engine.newGradientCollector()}, which allows only one collector in the whole process, so that trainings
     * can run side by side on the {@link Workers}.
     */
    public static GradientCollector newGradientCollector() {
        device();
        return new ThreadGradientCollector();
    }

    /** A new base manager on the kit's device; close it (try-with-resources) to free native memory. */
    public static NDManager newManager() {
        return NDManager.newBaseManager(device());
    }

    /** One line for reports and notebooks: engine, version, device and threads. */
    public static String describe() {
        ComputeSettings current = settings(); // starts the engine first, with the kit's thread counts
        return "DJL " + current.djl() + ", " + current.engine() + ", " + device + ", " + current.intraOpThreads()
                + " threads";
    }

    private static int threadsFromEnvironment() {
        String value = System.getProperty(THREADS_SETTING, System.getenv(THREADS_SETTING));
        if (value == null || value.isBlank()) {
            return 1;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(THREADS_SETTING + " must be a whole number, got '" + value + "'", e);
        }
    }

    private static Logger log() {
        return LoggerFactory.getLogger(KitEngine.class);
    }
}
