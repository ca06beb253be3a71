package org.icmlora.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CliTest {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Cli cli = new Cli(new PrintStream(buffer, true, StandardCharsets.UTF_8));

    private String output() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertEquals(2, cli.execute("train"));
        assertTrue(output().contains("unknown command 'train'"), output());
        assertTrue(output().contains("usage: run"), output());
    }

    @Test
    void unknownExperimentNamesTheValidOnes() {
        assertEquals(2, cli.execute("run", "table9"));
        assertTrue(output().contains("no experiment 'table9'; choose from"), output());
    }

    @Test
    void badProfileAndMissingValuesAreNamed() {
        assertEquals(2, cli.execute("run", "all", "--profile", "huge"));
        assertTrue(output().contains("ICMLORA_PROFILE must be one of smoke, quick, full; got 'huge'"), output());
        assertEquals(2, cli.execute("run", "all", "--seed"));
        assertTrue(output().contains("--seed needs a value"), output());
    }

    @Test
    void listNamesEveryExperiment() {
        assertEquals(0, cli.execute("list"));
        Experiments.all().forEach(e -> assertTrue(output().contains(e.id()), e.id()));
    }
}
