package org.icmlora.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controls experiment at the smoke profile on the real data, both tracks: it writes its tables, and the conditions
 * reach the generated adapters (a generator that ignored its condition would give every task the same adapter under
 * one latent draw, and this test would fail).
 */
class ControlsRunTest {

    @TempDir
    static Path work;

    @BeforeAll
    static void isolateCacheAndReports() {
        InProcessCli.isolate(work);
    }

    @AfterAll
    static void restore() {
        InProcessCli.restore();
    }

    @Test
    void swappingTheConditionChangesTheGeneratedAdapterAndEveryTableIsWritten() throws Exception {
        InProcessCli.run("run", "controls", "--profile", "smoke", "--set", "run.seeds=1", "--set", "controls.draws=2")
                .succeeded();
        Path results = work.resolve("reports/results/smoke/seed-2024/controls");
        Map<String, Double> measured = new HashMap<>();
        List<String> lines = Files.readAllLines(results.resolve("measured.csv"));
        for (String line : lines.subList(1, lines.size())) {
            int last = line.lastIndexOf(',');
            String[] keys = line.substring(0, last).split(",", 4); // track, generator, metric, quantity
            measured.put(keys[0] + "," + keys[1] + "," + keys[3], Double.parseDouble(line.substring(last + 1)));
        }
        for (String track : List.of("detection", "language")) {
            for (String generator : List.of("ICM-LoRA", "COND P-DIFF")) {
                String prefix = track + "," + generator + ",";
                double conditions = measured.get(prefix + "latent: conditions' spread / own spread (mean over tasks)");
                assertTrue(conditions > 1e-3, track + " " + generator + ": the adapters of different conditions under"
                        + " one latent draw are (nearly) equal: " + conditions);
                double draws = measured.get(prefix + "latent: draws' spread / own spread (mean over tasks)");
                assertTrue(draws > 0, track + " " + generator + ": every latent draw gives the same adapter");
                assertTrue(Double.isFinite(measured.get(prefix + "latent: memorisation index mean (mean over tasks)")));
                String file = track + "-" + generator.toLowerCase().replace(' ', '-');
                List<String> swap = Files.readAllLines(results.resolve("swap-" + file + ".csv"));
                assertEquals(1 + 5, swap.size(), "one line per task scored");
                assertEquals(1 + 5, swap.get(0).split(",").length, "one column per condition");
            }
        }
    }
}
