package org.icmlora.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.icmlora.experiments.Cli;
import org.icmlora.store.AtomicFiles;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The kit's command line run inside the test JVM on a cache and reports of a test class's own, so that end-to-end
 * tests neither read nor fill the user's cache. A test class registers one as
 * {@code @RegisterExtension static final InProcessCli cli = new InProcessCli();}: before the class's tests it makes a
 * temporary folder ({@link #work}) and points the kit's cache and reports into it and the kit's home at this checkout;
 * after them it undoes that and deletes the folder.
 */
final class InProcessCli implements BeforeAllCallback, AfterAllCallback {

    private Path work;

    /** What one command printed on both streams, and its exit status. */
    record Outcome(int status, String output) {

        /** The output, once the command is checked to have exited 0 (its output is the failure message otherwise). */
        String succeeded() {
            assertEquals(0, status, output);
            return output;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        work = Files.createTempDirectory("icmlora-" + context.getRequiredTestClass().getSimpleName() + "-");
        System.setProperty("ICMLORA_CACHE", work.resolve("cache").toString());
        System.setProperty("ICMLORA_REPORTS", work.resolve("reports").toString());
        System.setProperty("ICMLORA_HOME", NotebookRun.root().toString());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty("ICMLORA_CACHE");
        System.clearProperty("ICMLORA_REPORTS");
        System.clearProperty("ICMLORA_HOME");
        AtomicFiles.deleteQuietly(work);
    }

    /** The class's folder: the kit's cache is {@code work/cache}, its reports {@code work/reports}. */
    Path work() {
        return work;
    }

    /** Runs {@code icmlora.sh ARGS} in this JVM. */
    Outcome run(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        int status = new Cli(both, both).execute(args);
        return new Outcome(status, buffer.toString(StandardCharsets.UTF_8));
    }
}
