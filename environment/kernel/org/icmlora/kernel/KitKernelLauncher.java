package org.icmlora.kernel;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.LogManager;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.AbstractChannel;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;

/**
 * Starts the rapaio Jupyter kernel (3.0.1) for the kit without the hangs of its start-up races.
 *
 * <p>Why: in that kernel each socket channel (heartbeat, shell, control) is served by a {@link LoopThread} that
 * loops while a {@code running} flag is set, but the flag is set only <em>after</em> the thread is started; when the
 * new thread is scheduled first it sees the flag unset and ends at once. And the shell loop starts before the kernel
 * registers its message handlers, so a request that arrives in between (the client's first {@code kernel_info}
 * request usually does) makes the loop throw and end. Either way the channel is never served again and the client
 * waits in vain ("Kernel didn't respond").
 *
 * <p>What this launcher does, using only the kernel's public classes plus reflection to read and swap loop threads:
 * <ul>
 *   <li>it performs the kernel's start-up itself (read the connection file, create the channels, connect them to
 *       the kernel, wait until they close) and holds the shell channel's lock while connecting. The shell loop reads
 *       each request under that lock, so requests wait, queued in the socket, until the handlers exist;</li>
 *   <li>a daemon guard watches the loop threads. A loop thread that has ended while its {@code running} flag says it
 *       should run (a regular shutdown clears the flag first) is replaced by a fresh one with the same loop body,
 *       started with its flag already set. The lost thread had read nothing, so no request is lost. Each repair is
 *       reported on standard error, so start-up checks can count them.</li>
 * </ul>
 *
 * <p>It also applies its own {@code logging.properties} (WARNING level) before the kernel loads, so the kernel does
 * not log its connection file, which holds the HMAC key, nor every message it handles.
 */
public final class KitKernelLauncher {

    private static final long POLL_MILLIS = 10;
    /** The process's own standard error, whatever the kernel does with System.err to capture cell output. */
    private static final PrintStream STDERR = new PrintStream(new FileOutputStream(FileDescriptor.err), true);

    private KitKernelLauncher() {}

    /** Runs the kernel for the connection file given as the only argument. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: KitKernelLauncher CONNECTION_FILE (Jupyter passes it)");
        }
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            throw new IllegalArgumentException("connection file not found: " + connectionFile);
        }
        quietLogging();
        ConnectionProperties properties =
                Transform.fromJson(Files.readString(connectionFile), ConnectionProperties.class);
        Channels channels = new Channels(properties);
        Thread guard = new Thread(() -> guardLoopThreads(channels), "icmlora-loop-guard");
        guard.setDaemon(true);
        guard.start();
        Object shell = field(Channels.class, "shell").get(channels);
        synchronized (shell) {
            channels.connect(MainApp.kernel);
        }
        channels.joinUntilClose();
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

    /** Until the JVM ends: once the channels are connected, replaces every loop thread that died early. */
    private static void guardLoopThreads(Channels channels) {
        try {
            while (true) {
                if (isConnected(channels)) {
                    for (Object channel : loopChannels(channels)) {
                        repairIfDead(channel);
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ReflectiveOperationException | RuntimeException e) {
            STDERR.println("icmlora kernel guard stopped: " + e);
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
        // Threads inherit daemon status from their creator, and this guard is a daemon: the replacement must keep
        // the JVM alive as the original did, or the kernel exits when its main thread finds only dead loops to join.
        fresh.setDaemon(loop.isDaemon());
        fresh.setUncaughtExceptionHandler((thread, error) -> {
            STDERR.println("icmlora kernel guard: replacement loop thread " + thread.getName() + " failed:");
            error.printStackTrace(STDERR);
        });
        running.setBoolean(fresh, true);
        loopField.set(channel, fresh);
        fresh.start();
        STDERR.println("icmlora kernel guard: restarted the " + channel.getClass().getSimpleName()
                + " loop (thread " + loop.getName() + "), which had ended while meant to run (kernel start-up race), "
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
