package org.icmlora.e2e;

import java.io.IOException;
import java.nio.file.Files;

/** The run of every notebook at the smoke profile, done once per test JVM and shared by the tests that read it. */
final class SmokeRun {

    private static NotebookRun run;

    private SmokeRun() {}

    /** Executes notebooks/*.ipynb on first call; later calls return the same run. */
    static synchronized NotebookRun allNotebooks() throws IOException, InterruptedException {
        if (run == null) {
            run = NotebookRun.execute(Files.createTempDirectory("icmlora-smoke-reports"));
        }
        return run;
    }
}
