package org.icmlora.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.icmlora.experiments.Experiments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code run all} fits every experiment's generators side by side before the first experiment: at the smoke profile
 * from an empty cache, the fits ahead compute both tracks' generators and no experiment fits one itself. An
 * experiment whose declared fits missed one that it fits (its {@code fits} and its {@code run} drifting apart) would
 * show a generator stage in its own timing entry and fail this test.
 */
class FitAheadTest {

    @RegisterExtension
    static final InProcessCli cli = new InProcessCli();

    @Test
    void everyGeneratorIsFittedAheadAndNoExperimentFitsOneItself() throws Exception {
        String output = cli.run("run", "all", "--profile", "smoke", "--set", "run.seeds=1", "--set",
                "controls.draws=2").succeeded();
        assertTrue(output.contains("generator fits ahead: done"), output);
        JsonObject timing = JsonParser.parseString(Files.readString(cli.work().resolve(
                "reports/results/smoke/seed-2024/timing.json"))).getAsJsonObject();
        List<String> fittedByExperiments = new ArrayList<>();
        int fittedAhead = 0;
        int experiments = 0;
        for (JsonElement entry : timing.getAsJsonArray("experiments")) {
            JsonObject experiment = entry.getAsJsonObject();
            String id = experiment.get("id").getAsString();
            for (JsonElement stage : experiment.getAsJsonArray("stages")) {
                String name = stage.getAsJsonObject().get("stage").getAsString();
                int outputs = stage.getAsJsonObject().get("outputs").getAsInt();
                if (!name.endsWith("-generator")) {
                    continue;
                }
                if (id.equals("generator fits ahead")) {
                    fittedAhead += outputs;
                } else {
                    fittedByExperiments.add(id + ": " + outputs + " " + name);
                }
            }
            experiments++;
        }
        assertEquals(Experiments.all().size() + 1, experiments, "the fits ahead and every experiment are timed");
        assertTrue(fittedAhead > 0, "the fits ahead fitted the generators");
        assertEquals(List.of(), fittedByExperiments, "no experiment fits a generator after the fits ahead");
    }
}
