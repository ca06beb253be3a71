package org.icmlora.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The right to compute one stage output: held by one thread of one process at a time, and released when the holder
 * closes it or its process dies.
 *
 * <p>Two locks make it. Threads of this JVM exclude each other with a {@link ReentrantLock} per output, since the
 * operating system's file locks belong to a whole process. Processes exclude each other with an OS lock on one byte of
 * the stage's lock file {@code <stage>/.lock}, at an offset taken from the key's hash: one small file per stage, never
 * deleted, so no process can lock a file that another has just replaced. This JVM opens each lock file once and keeps
 * it open: on POSIX systems closing any descriptor of a file drops every lock the process holds on it.
 */
final class StageLock implements AutoCloseable {

    /** Name of the lock file in each stage directory. */
    static final String FILE = ".lock";

    private static final Map<Path, ReentrantLock> THREADS = new ConcurrentHashMap<>();
    private static final Map<Path, OpenLockFile> FILES = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileLock lock;

    private StageLock(ReentrantLock local, FileLock lock) {
        this.local = local;
        this.lock = lock;
    }

    /** Something to say before waiting: {@code who} is "another thread of this process" or "another process". */
    @FunctionalInterface
    interface WaitNotice {
        void waitingFor(String who);
    }

    /** Waits until this thread holds the lock of the output in {@code outputDir}, telling {@code notice} first. */
    static StageLock acquire(Path outputDir, WaitNotice notice) {
        ReentrantLock local = THREADS.computeIfAbsent(outputDir, dir -> new ReentrantLock());
        if (local.isHeldByCurrentThread()) {
            throw new IllegalStateException(outputDir + " is being computed by this thread already: a stage cannot "
                    + "need its own output");
        }
        if (!local.tryLock()) {
            notice.waitingFor("another thread of this process");
            local.lock();
        }
        try {
            FileChannel channel = lockFile(outputDir);
            long offset = offset(outputDir);
            FileLock lock = channel.tryLock(offset, 1, false);
            if (lock == null) {
                notice.waitingFor("another process");
                lock = waitFor(channel, offset);
            }
            return new StageLock(local, lock);
        } catch (InterruptedException e) {
            local.unlock();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + outputDir, e);
        } catch (IOException e) {
            local.unlock();
            throw new UncheckedIOException("cannot lock " + outputDir.resolveSibling(FILE) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    /**
     * Polls for the byte at {@code offset} until no other process holds it. Not a blocking {@link FileChannel#lock}:
     * POSIX locks belong to a whole process, so the kernel's deadlock check sees two processes whose threads wait on
     * different outputs the other holds as a cycle and fails the call ("Resource deadlock avoided"), although the
     * stages form no cycle and each holder finishes without the other.
     */
    private static FileLock waitFor(FileChannel channel, long offset) throws IOException, InterruptedException {
        long pause = 10;
        while (true) {
            FileLock lock = channel.tryLock(offset, 1, false);
            if (lock != null) {
                return lock;
            }
            Thread.sleep(pause);
            pause = Math.min(200, 2 * pause);
        }
    }

    /** The lock if no thread or process holds it now; empty without waiting otherwise. */
    static Optional<StageLock> tryAcquire(Path outputDir) {
        ReentrantLock local = THREADS.computeIfAbsent(outputDir, dir -> new ReentrantLock());
        if (local.isHeldByCurrentThread() || !local.tryLock()) {
            return Optional.empty();
        }
        try {
            FileLock lock = lockFile(outputDir).tryLock(offset(outputDir), 1, false);
            if (lock != null) {
                return Optional.of(new StageLock(local, lock));
            }
        } catch (IOException e) {
            // cannot lock now: count it as busy
        }
        local.unlock();
        return Optional.empty();
    }

    /** True while a thread of this JVM holds the lock of the output in {@code outputDir}. */
    static boolean isHeldInThisJvm(Path outputDir) {
        ReentrantLock local = THREADS.get(outputDir);
        return local != null && local.isLocked();
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release a lock in " + lock.channel() + ": " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    /** The byte of the stage's lock file that stands for this output: from the key's hash, below 2^60. */
    private static long offset(Path outputDir) {
        String hash = outputDir.getFileName().toString();
        return Long.parseUnsignedLong(hash.substring(0, Math.min(15, hash.length())), 16);
    }

    /**
     * The stage's lock file, opened once per JVM and kept open. Reopened if it was replaced (a user deleted the
     * cache while this JVM ran): its file key then differs from the one seen when it was opened.
     */
    private static FileChannel lockFile(Path outputDir) throws IOException {
        Path file = outputDir.resolveSibling(FILE);
        Files.createDirectories(file.getParent());
        OpenLockFile open = FILES.get(file);
        if (open == null || !open.isStill(file)) {
            synchronized (FILES) {
                open = FILES.get(file);
                if (open == null || !open.isStill(file)) {
                    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    open = new OpenLockFile(channel, Files.readAttributes(file,
                            java.nio.file.attribute.BasicFileAttributes.class).fileKey());
                    FILES.put(file, open); // a replaced channel stays open: closing it could drop locks held on it
                }
            }
        }
        return open.channel();
    }

    private record OpenLockFile(FileChannel channel, Object fileKey) {
        boolean isStill(Path file) {
            try {
                return Objects.equals(fileKey, Files.readAttributes(file,
                        java.nio.file.attribute.BasicFileAttributes.class).fileKey());
            } catch (IOException e) {
                return false;
            }
        }
    }
}
