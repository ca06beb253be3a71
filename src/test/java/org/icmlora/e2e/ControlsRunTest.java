package org.icmlora.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The controls experiment at the smoke profile on the real data, both tracks: it writes its tables, the conditions
 * reach the generated adapters (a generator that ignored its condition would give every task the same adapter under
 * one latent draw, and this test would fail), and a rerun samples nothing again: the drawn adapters are cached with
 * the evaluations and give the same tables.
 */
class ControlsRunTest {

    @RegisterExtension
    static final InProcessCli cli = new InProcessCli();

    @Test
    void swappingTheConditionChangesTheGeneratedAdapterAndEveryTableIsWritten() throws Exception {
        String[] controls = {"run", "controls", "--profile", "smoke", "--set", "run.seeds=1", "--set",
            "controls.draws=2"};
        cli.run(controls).succeeded();
        Path results = cli.work().resolve("reports/results/smoke/seed-2024/controls");
        List<String> firstRun = Files.readAllLines(results.resolve("latent-language-cond-p-diff.csv"));
        for (String track : List.of("detection", "language")) { // 2 generators x 5 tasks x (table adapter, draws)
            try (Stream<Path> generated = Files.list(cli.work().resolve("cache/" + track + "-generated"))) {
                assertEquals(2 * 5 * 2, generated.filter(p -> Files.isRegularFile(p.resolve("manifest.json"))).count(),
                        track + ": one cached output per generation call");
            }
        }
        assertTrue(cli.run(controls).succeeded().contains("(0 stage outputs computed"),
                "the rerun reads every drawn adapter and evaluation from the cache");
        assertEquals(firstRun, Files.readAllLines(results.resolve("latent-language-cond-p-diff.csv")),
                "the cached draws give the same latent table");
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
