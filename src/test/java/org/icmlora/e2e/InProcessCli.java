package org.icmlora.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.icmlora.experiments.Cli;

/**
 * The kit's command line run inside the test JVM on a cache and reports of a test class's own (its temporary folder),
 * so that end-to-end tests neither read nor fill the user's cache: {@link #isolate} before the class's tests,
 * {@link #restore} after them.
 */
final class InProcessCli {

    private InProcessCli() {}

    /** What one command printed on both streams, and its exit status. */
    record Outcome(int status, String output) {

        /** The output, once the command is checked to have exited 0 (its output is the failure message otherwise). */
        String succeeded() {
            assertEquals(0, status, output);
            return output;
        }
    }

    /** Points the kit's cache and reports into {@code work} and its home at this checkout. */
    static void isolate(Path work) {
        System.setProperty("ICMLORA_CACHE", work.resolve("cache").toString());
        System.setProperty("ICMLORA_REPORTS", work.resolve("reports").toString());
        System.setProperty("ICMLORA_HOME", NotebookRun.root().toString());
    }

    /** Undoes {@link #isolate}. */
    static void restore() {
        System.clearProperty("ICMLORA_CACHE");
        System.clearProperty("ICMLORA_REPORTS");
        System.clearProperty("ICMLORA_HOME");
    }

    /** Runs {@code icmlora.sh ARGS} in this JVM. */
    static Outcome run(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        int status = new Cli(both, both).execute(args);
        return new Outcome(status, buffer.toString(StandardCharsets.UTF_8));
    }
}
