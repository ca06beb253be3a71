package org.icmlora.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kit's command line as a user starts it, {@code bash environment/icmlora.sh ARGS}, in a process of its own with
 * its own artifact cache and reports folder; standard output and error go to files under {@code logs}. The process
 * gets the test's environment without {@code OMP_NUM_THREADS} (which the build sets for the test JVM), as a user's
 * shell would, so results are compared between the two settings.
 */
final class KitCommand {

    /** Every command started and not known to be finished, so a test that fails or times out can stop them. */
    private static final List<Process> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Process process;
    private final Path out;
    private final Path err;

    private KitCommand(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code icmlora.sh args} on {@code cache}, writing reports to {@code reports}; logs named {@code name}. */
    static KitCommand start(Path cache, Path reports, Path logs, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash",
                NotebookRun.root().resolve("environment/icmlora.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Files.createDirectories(logs).toFile());
        builder.environment().remove("OMP_NUM_THREADS");
        builder.environment().remove("ICMLORA_PROFILE");
        builder.environment().remove("ICMLORA_SEED");
        builder.environment().put("ICMLORA_CACHE", cache.toString());
        builder.environment().put("ICMLORA_REPORTS", reports.toString());
        builder.environment().put("ICMLORA_JAVA_OPTS", "-Xmx2g");
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        STARTED.add(process);
        return new KitCommand(process, out, err);
    }

    /** Kills every command still running (for a test's clean-up: a failed or timed-out test leaves none behind). */
    static void killAll() {
        STARTED.forEach(Process::destroyForcibly);
        STARTED.clear();
    }

    /** Runs {@code icmlora.sh args} to its end (at most 10 minutes) and returns the finished command. */
    static KitCommand run(Path cache, Path reports, Path logs, String name, String... args) throws Exception {
        KitCommand command = start(cache, reports, logs, name, args);
        command.waitFor();
        return command;
    }

    /** Waits (at most 10 minutes) for the end; returns the exit status. */
    int waitFor() throws InterruptedException {
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("icmlora.sh still running after 10 minutes; see " + err);
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9 of the JVM (the script replaced itself with it), so nothing of the kit's can clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    int exitValue() {
        return process.exitValue();
    }

    String stdout() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** Both streams, for assertion messages. */
    String transcript() throws IOException {
        return "--- stdout\n" + stdout() + "--- stderr\n" + stderr();
    }
}
