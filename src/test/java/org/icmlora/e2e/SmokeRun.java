package org.icmlora.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The run of every notebook at the smoke profile, done once per test JVM and shared by the tests that read it. Its
 * reports stay in {@code src/test/target/notebook-reports/} for a look after a failure.
 */
final class SmokeRun {

    private static NotebookRun run;

    private SmokeRun() {}

    /** Executes notebooks/*.ipynb on first call; later calls return the same run. */
    static synchronized NotebookRun allNotebooks() throws IOException, InterruptedException {
        if (run == null) {
            Path out = NotebookRun.root().resolve("src/test/target/notebook-reports");
            deleteTree(out); // no file of an earlier run may pass for this one's
            run = NotebookRun.execute(Files.createDirectories(out));
        }
        return run;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
