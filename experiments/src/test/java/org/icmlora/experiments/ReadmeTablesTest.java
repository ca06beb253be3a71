package org.icmlora.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.icmlora.engine.KitPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's results section is what `icmlora.sh readme-tables` makes of the committed results/quick/. */
class ReadmeTablesTest {

    @Test
    void readmeShowsTheCommittedQuickResults() throws Exception {
        Path results = KitPaths.root().resolve("results").resolve("quick");
        assertTrue(Files.isDirectory(results), "results/quick/ holds the committed run behind README: run"
                + " 'bash environment/reproduce.sh' (it copies the run's CSV and JSON there) and commit it");
        String readme = Files.readString(KitPaths.root().resolve("README.md"));
        assertEquals(ReadmeTables.markdown(results).strip(), ReadmeTables.current(readme),
                "README's results differ from results/quick/: run 'bash environment/icmlora.sh readme-tables'");
    }

    @Test
    void theSectionIsReplacedBetweenItsMarkers(@TempDir Path dir) throws Exception {
        Path result = Files.createDirectories(dir.resolve("table6"));
        Files.writeString(result.resolve("result.json"), "{\"title\": \"Table 6: t\", \"profile\": \"quick\","
                + " \"seed\": 2024, \"seconds\": 1.5, \"notes\": [\"a reading\"],"
                + " \"configuration\": {\"run.seed\": \"2024\", \"run.seeds\": \"3\"}}");
        Files.writeString(result.resolve("comparison.csv"), "vision,text,dog measured,dog sd,dog paper,dog difference\n"
                + "yes,no,0.5,0.01,0.96,-0.46\n");
        String readme = "intro\n" + ReadmeTables.BEGIN + "\nold\n" + ReadmeTables.END + "\nrest\n";
        String updated = ReadmeTables.update(readme, dir);
        assertTrue(updated.startsWith("intro\n" + ReadmeTables.BEGIN + "\n\n#### Table 6: t\n\nProfile quick, seeds"
                + " 2024-2026, 1.5 s;"), updated);
        assertTrue(updated.contains("| vision | text | dog: measured (paper) |\n|---|---|---|\n"
                + "| yes | no | 0.500 ± 0.010 (0.960) |\n"), updated);
        assertTrue(updated.contains("- a reading\n") && updated.endsWith(ReadmeTables.END + "\nrest\n"), updated);
        assertEquals(ReadmeTables.current(updated), ReadmeTables.current(ReadmeTables.update(updated, dir)));
    }

    @Test
    void theSharedWorkRanAheadIsReadFromTheRunsTiming(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("timing.json"), "{\"wallSeconds\": 600.0, \"experiments\": ["
                + "{\"id\": \"" + Cli.FIT_AHEAD + "\", \"wallSeconds\": 270.0, \"cpuSeconds\": 512.4},"
                + " {\"id\": \"table1\", \"wallSeconds\": 30.0, \"cpuSeconds\": 50.0}]}");
        assertTrue(ReadmeTables.markdown(dir).startsWith("The base models, adapter series, task vectors and generator"
                + " fits that the experiments share ran once, ahead of them: 4.5 min (512 CPU s) of the run's 10.0"
                + " min."), ReadmeTables.markdown(dir));
        Files.writeString(dir.resolve("timing.json"), "{\"wallSeconds\": 30.0, \"experiments\": ["
                + "{\"id\": \"table1\", \"wallSeconds\": 30.0, \"cpuSeconds\": 50.0}]}");
        assertEquals("", ReadmeTables.markdown(dir));
    }

    @Test
    void anEmptySpreadColumnIsNoSpread(@TempDir Path dir) throws Exception {
        Path result = Files.createDirectories(dir.resolve("table3"));
        Files.writeString(result.resolve("result.json"), "{\"title\": \"Table 3: t\", \"profile\": \"quick\","
                + " \"seed\": 2024, \"seconds\": 2.0, \"notes\": []}");
        Files.writeString(result.resolve("comparison.csv"), "item,storage measured,storage sd,storage paper,"
                + "storage difference\nICM-LoRA,712431.0,,,\n");
        assertTrue(ReadmeTables.markdown(dir).contains("| ICM-LoRA | 712431 (–) |"), ReadmeTables.markdown(dir));
    }
}
