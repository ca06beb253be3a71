package org.icmlora.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of the kit's notebook runner ({@code environment/run-notebooks.py}) as the README's commands start it:
 * its exit status, everything it printed, and the folder it wrote.
 */
record NotebookRun(int exitCode, String output, Path outDir) {

    /** Seconds one cell may take in the tests (smoke profile). */
    static final int CELL_TIMEOUT_SECONDS = 600;

    /** The repository root, handed over by the build as system property {@code icmlora.root}. */
    static Path root() {
        String root = System.getProperty("icmlora.root");
        if (root == null) {
            throw new IllegalStateException("system property icmlora.root is not set (src/test/pom.xml sets it)");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    /** Runs the given notebooks (none: every notebook in notebooks/) at the smoke profile into {@code outDir}. */
    static NotebookRun execute(Path outDir, Path... notebooks) throws IOException, InterruptedException {
        Path venvPython = root().resolve("environment/.installed/venv/bin/python");
        assertTrue(Files.isExecutable(venvPython), "no project venv at " + venvPython
                + ": run environment/setup.sh (environment/test.sh does) before the tests");
        List<String> command = new ArrayList<>(List.of(venvPython.toString(),
                root().resolve("environment/run-notebooks.py").toString(),
                "--out", outDir.toString(), "--cell-timeout", Integer.toString(CELL_TIMEOUT_SECONDS)));
        for (Path notebook : notebooks) {
            command.add(notebook.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(root().toFile()).redirectErrorStream(true);
        builder.environment().put("ICMLORA_PROFILE", "smoke");
        Path log = Files.createTempFile("icmlora-runner", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("notebook runner still running after 60 minutes; output in " + log);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new NotebookRun(process.exitValue(), output, outDir);
    }
}
