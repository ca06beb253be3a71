package org.icmlora.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * README's "Fork an experiment" on the command line: Table 5 with other depths and one rank runs at the smoke profile
 * with exactly those cells, and result.json records the effective configuration; a wrong key is a usage error.
 */
class ForkAnExperimentTest {

    @RegisterExtension
    static final InProcessCli cli = new InProcessCli();

    @Test
    void table5WithOtherDepthsAndOneRankHasExactlyThoseCells() throws Exception {
        String output = cli.run("run", "table5", "--profile", "smoke", "--set", "table5.depths=3,5",
                "--set", "lora.ranks=1").succeeded();
        Path results = cli.work().resolve("reports/results/smoke/seeds-2024-2025/table5"); // smoke runs two seeds
        List<String> measured = Files.readAllLines(results.resolve("measured.csv"));
        assertEquals(List.of("conv_layers,r1,r1 sd"), measured.subList(0, 1));
        assertEquals(List.of("3", "5"), measured.subList(1, 3).stream().map(l -> l.split(",")[0]).toList());
        JsonObject result = new Gson().fromJson(Files.readString(results.resolve("result.json")), JsonObject.class);
        assertEquals("3,5", result.getAsJsonObject("configuration").get("table5.depths").getAsString());
        assertEquals("[\"table5.depths\",\"lora.ranks\"]", result.get("overrides").toString());
        assertTrue(output.contains("changed: [table5.depths=3,5, lora.ranks=1]"), output);
    }

    @Test
    void aWrongKeyIsAUsageErrorThatNamesTheValidOnes() {
        InProcessCli.Outcome outcome = cli.run("run", "table5", "--profile", "smoke", "--set",
                "table5.depth=3");
        assertEquals(2, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("smoke.conf has no key 'table5.depth' (did you mean table5.depths?);"
                + " valid keys: table5.depths, table5.cvaeEpochs"), outcome.output());
    }
}
