package org.icmlora.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.LogManager;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.AbstractChannel;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;

/**
 * Starts the rapaio Jupyter kernel (3.0.1) for the kit and keeps its message loops alive through its start-up race.
 *
 * <p>Why: in that kernel each socket channel (heartbeat, shell, control) is served by a {@link LoopThread} that
 * loops while a {@code running} flag is set, but the flag is set only <em>after</em> the thread is started. When the
 * new thread is scheduled first it sees the flag unset and ends at once. A second window has the same effect: a
 * request that reaches the shell before the kernel has registered its handlers throws inside the loop and ends it.
 * Either way the channel is never served again and the client waits in vain ("Kernel didn't respond").
 *
 * <p>What this launcher does: it runs the kernel's own {@code MainApp} unchanged and, beside it, a daemon guard
 * that watches the loop threads. A loop thread that has ended while its {@code running} flag still says it should
 * run (the signature of both failures; a regular shutdown clears the flag first) is replaced by a fresh one with
 * the same loop body, started with its flag already set. Each repair is reported on standard error, so start-up
 * checks can count them. Clients resend {@code kernel_info_request} until answered, so a repaired start only costs
 * a few milliseconds.
 *
 * <p>The kernel reads {@code logging.properties} from the classpath; this launcher's directory comes first on the
 * classpath and ships one at WARNING level, so the kernel does not log its connection file (which holds the HMAC
 * key) or every message it handles.
 */
public final class KitKernelLauncher {

    private static final long POLL_MILLIS = 10;

    private KitKernelLauncher() {}

    /** Runs the kernel with the given connection file while the guard repairs loop threads that died early. */
    public static void main(String[] args) throws Exception {
        quietLogging();
        Thread guard = new Thread(KitKernelLauncher::guardLoopThreads, "icmlora-loop-guard");
        guard.setDaemon(true);
        guard.start();
        MainApp.main(args);
    }

    /** Applies this launcher's logging.properties before the kernel's first log line (it logs while loading). */
    private static void quietLogging() throws IOException {
        try (InputStream in = KitKernelLauncher.class.getResourceAsStream("/logging.properties")) {
            if (in == null) {
                throw new IOException("logging.properties missing beside the launcher; rerun environment/setup.sh");
            }
            LogManager.getLogManager().readConfiguration(in);
        }
    }

    private static void guardLoopThreads() {
        try {
            while (true) {
                Channels channels = MainApp.kernel.channels();
                if (channels != null && isConnected(channels)) {
                    for (Object channel : loopChannels(channels)) {
                        repairIfDead(channel);
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("icmlora kernel guard stopped: " + e);
        }
    }

    /** True once {@code Channels.connect} has finished (handlers registered). */
    private static boolean isConnected(Channels channels) throws ReflectiveOperationException {
        return (Boolean) field(Channels.class, "isConnected").get(channels);
    }

    /** The channels of the connection that are served by a loop thread (they have a {@code loopThread} field). */
    private static List<Object> loopChannels(Channels channels) throws ReflectiveOperationException {
        List<Object> result = new ArrayList<>();
        for (Field f : Channels.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || !AbstractChannel.class.isAssignableFrom(f.getType())) {
                continue;
            }
            f.setAccessible(true);
            Object channel = f.get(channels);
            if (channel != null && hasField(channel.getClass(), "loopThread")) {
                result.add(channel);
            }
        }
        return result;
    }

    private static void repairIfDead(Object channel) throws ReflectiveOperationException {
        Field loopField = field(channel.getClass(), "loopThread");
        LoopThread loop = (LoopThread) loopField.get(channel);
        Field running = field(LoopThread.class, "running");
        if (loop == null || loop.getState() != Thread.State.TERMINATED || !running.getBoolean(loop)) {
            return;
        }
        long sleep = field(LoopThread.class, "sleep").getLong(loop);
        Runnable body = (Runnable) field(LoopThread.class, "loopBody").get(loop);
        LoopThread fresh = new LoopThread(loop.getName(), sleep, body);
        running.setBoolean(fresh, true);
        loopField.set(channel, fresh);
        fresh.start();
        System.err.println("icmlora kernel guard: restarted loop thread " + loop.getName()
                + " that had ended while still meant to run (kernel start-up race), "
                + ManagementFactory.getRuntimeMXBean().getUptime() + " ms after the JVM started");
    }

    private static boolean hasField(Class<?> type, String name) {
        try {
            type.getDeclaredField(name);
            return true;
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
