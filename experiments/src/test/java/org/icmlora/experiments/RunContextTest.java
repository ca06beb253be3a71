package org.icmlora.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.icmlora.engine.Profile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunContextTest {

    @AfterEach
    void clearSettings() {
        System.clearProperty("ICMLORA_PROFILE");
        System.clearProperty("ICMLORA_SEED");
    }

    @Test
    void optionsWinOverEnvironmentVariablesThatAreThenNotRead() {
        System.setProperty("ICMLORA_PROFILE", "huge");
        System.setProperty("ICMLORA_SEED", "many");
        RunContext context = RunContext.fromCommandLine("smoke", "7", List.of());
        assertEquals(Profile.SMOKE, context.profile());
        assertEquals(7, context.seed());
        IllegalArgumentException fromVariable = assertThrows(IllegalArgumentException.class,
                () -> RunContext.fromCommandLine("smoke", null, List.of()));
        assertTrue(fromVariable.getMessage().contains("ICMLORA_SEED"), fromVariable.getMessage());
        IllegalArgumentException fromOption = assertThrows(IllegalArgumentException.class,
                () -> RunContext.fromCommandLine("smoke", "seven", List.of()));
        assertTrue(fromOption.getMessage().contains("--seed") && !fromOption.getMessage().contains("ICMLORA_SEED"),
                fromOption.getMessage());
        IllegalArgumentException badProfile = assertThrows(IllegalArgumentException.class,
                () -> RunContext.fromCommandLine(null, "7", List.of()));
        assertEquals("ICMLORA_PROFILE must be one of smoke, quick, full; got 'huge'", badProfile.getMessage());
    }

    @Test
    void resultsOfEachSeedHaveTheirOwnFolder() {
        RunContext context = RunContext.fromCommandLine("quick", "2024", List.of("run.seeds=1"));
        assertEquals(context.reportsDir().resolve("results/quick/seed-2024/table1"), context.resultsDir("table1"));
        assertTrue(RunContext.fromCommandLine("quick", "7", List.of("run.seeds=1")).resultsDir("table1")
                .endsWith("results/quick/seed-7/table1"));
        assertTrue(RunContext.fromCommandLine("quick", "7", List.of("run.seeds=3")).resultsDir("table1")
                .endsWith("results/quick/seeds-7-9/table1"), "a run over seeds 7, 8, 9");
    }
}
