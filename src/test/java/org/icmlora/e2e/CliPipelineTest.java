package org.icmlora.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.icmlora.store.ArtifactStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The command line end to end at the smoke profile on the real data: Table 1 computed from an empty cache writes its
 * results; a rerun reuses every stage; cleaning one stage recomputes that stage only.
 */
class CliPipelineTest {

    @RegisterExtension
    static final InProcessCli cli = new InProcessCli();

    private static String run(String... args) {
        return cli.run(args).succeeded();
    }

    private static Map<String, String> created() {
        return new ArtifactStore(cli.work().resolve("cache")).list().stream()
                .collect(Collectors.toMap(a -> a.key().toString(), ArtifactStore.StoredArtifact::created));
    }

    @Test
    void table1RunsReusesItsStagesAndRecomputesACleanedOne() throws Exception {
        run("run", "table1", "--profile", "smoke", "--seed", "7");
        Path results = cli.work().resolve("reports/results/smoke/seeds-7-8/table1"); // smoke runs two seeds from 7
        List<String> comparison = Files.readAllLines(results.resolve("comparison.csv"));
        assertEquals(1 + 25 + 4 * 5, comparison.size(), "the paper's 5 methods x 5 categories, then the kit's rows"
                + " (Task-mean LoRA, the untruncated soups, COND P-DIFF's round trip) x 5 categories");
        assertTrue(comparison.get(0).startsWith("method,category,map50 measured,map50 sd,map50 paper,map50 difference"),
                comparison.get(0));
        assertTrue(Files.readString(results.resolve("result.json")).contains("\"seed\": 7"));
        assertTrue(Files.readString(cli.work().resolve("reports/summary.html")).contains("Table 1"));

        Map<String, String> first = created();
        assertTrue(first.keySet().stream().anyMatch(k -> k.startsWith("detection-generator/")), first.toString());
        run("run", "table1", "--profile", "smoke", "--seed", "7");
        assertEquals(first, created(), "a rerun must reuse every stage output unchanged");

        assertTrue(run("clean", "detection-evaluation").contains("removed " + 2 * 9 * 5 + " output(s)"),
                "2 seeds (smoke) x 9 rows x 5 categories");
        run("run", "table1", "--profile", "smoke", "--seed", "7");
        Map<String, String> third = created();
        first.forEach((key, time) -> {
            if (!key.startsWith("detection-evaluation/")) {
                assertEquals(time, third.get(key), key + " was recomputed although only evaluations were cleaned");
            }
        });
        assertEquals(first.keySet(), third.keySet());
        assertTrue(run("cache").contains("detection-evaluation/"));
    }
}
