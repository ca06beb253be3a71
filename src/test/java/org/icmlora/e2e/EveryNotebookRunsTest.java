package org.icmlora.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every notebook in notebooks/ executes headlessly at the smoke profile, and the report links each one. */
class EveryNotebookRunsTest {

    @Test
    void everyNotebookPassesAndIsReported() throws Exception {
        List<String> names = notebookNames();
        assertFalse(names.isEmpty(), "notebooks/ holds no notebook");
        NotebookRun run = SmokeRun.allNotebooks();
        assertEquals(0, run.exitCode(), run.output());
        String index = Files.readString(run.outDir().resolve("index.html"));
        assertTrue(index.contains(names.size() + " of " + names.size() + " notebooks passed"), index);
        assertTrue(index.contains("<th style=\"text-align:left\">Profile</th><td>smoke</td>"), index);
        for (String name : names) {
            assertTrue(Files.size(run.outDir().resolve(name + ".ipynb")) > 0, name + ".ipynb missing");
            assertTrue(Files.size(run.outDir().resolve(name + ".html")) > 0, name + ".html missing");
            assertTrue(index.contains("<a href=\"" + name + ".html\">" + name + "</a>"), index);
        }
    }

    @Test
    void notebooksAreCommittedWithoutOutputs() throws IOException {
        for (String name : notebookNames()) {
            String json = Files.readString(NotebookRun.root().resolve("notebooks/" + name + ".ipynb"));
            assertFalse(json.matches("(?s).*\"outputs\"\\s*:\\s*\\[\\s*[^\\]\\s].*"),
                    name + ".ipynb holds outputs: notebooks are committed without them (reports/ has executed copies)");
        }
    }

    private static List<String> notebookNames() throws IOException {
        try (Stream<Path> files = Files.list(NotebookRun.root().resolve("notebooks"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb"))
                    .map(n -> n.substring(0, n.length() - ".ipynb".length())).sorted().toList();
        }
    }
}
