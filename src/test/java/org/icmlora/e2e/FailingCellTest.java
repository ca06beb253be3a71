package org.icmlora.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cell that throws makes the runner fail, naming the notebook, the cell and the error. */
class FailingCellTest {

    @TempDir
    Path dir;

    @Test
    void throwingCellFailsTheRunAndIsNamed() throws Exception {
        Path notebook = dir.resolve("throws.ipynb");
        Files.writeString(notebook, """
                {"nbformat": 4, "nbformat_minor": 5,
                 "metadata": {"kernelspec": {"name": "icmlora", "display_name": "Java", "language": "java"}},
                 "cells": [
                  {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "A cell that throws."},
                  {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": null, "outputs": [],
                   "source": "int answer = 6 * 7;"},
                  {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": null, "outputs": [],
                   "source": "if (answer == 42) throw new IllegalStateException(\\"boom \\" + answer);"},
                  {"cell_type": "code", "id": "d", "metadata": {}, "execution_count": null, "outputs": [],
                   "source": "System.out.println(\\"never reached\\");"}
                 ]}
                """);
        Path out = dir.resolve("reports");
        NotebookRun run = NotebookRun.execute(out, notebook);

        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("throws.ipynb: cell 3 of 4 ('if (answer == 42) throw new "
                + "IllegalStateException(\"boom \" + answer);') failed:"), run.output());
        assertTrue(run.output().contains("boom 42"), run.output());
        String executed = Files.readString(out.resolve("throws.ipynb"));
        assertTrue(executed.contains("\"output_type\": \"error\""), executed);
        assertTrue(!executed.contains("never reached\\n\""), "the cell after the failure must not run");
        assertTrue(Files.readString(out.resolve("index.html")).contains("FAILED"), "index.html marks the failure");
    }
}
