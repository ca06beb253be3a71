package org.icmlora.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
        RunContext context = RunContext.fromOptions("smoke", "7");
        assertEquals(Profile.SMOKE, context.profile());
        assertEquals(7, context.seed());
        IllegalArgumentException fromVariable = assertThrows(IllegalArgumentException.class,
                () -> RunContext.fromOptions("smoke", null));
        assertEquals("ICMLORA_SEED must be a whole number, got 'many'", fromVariable.getMessage());
    }

    @Test
    void resultsOfEachSeedHaveTheirOwnFolder() {
        System.setProperty("ICMLORA_SEED", "2024");
        RunContext context = RunContext.fromOptions("quick", null);
        Path reports = context.reportsDir();
        assertEquals(reports.resolve("results/quick/seed-2024/table1"), context.resultsDir("table1"));
        assertTrue(RunContext.fromOptions("quick", "7").resultsDir("table1").endsWith("results/quick/seed-7/table1"));
    }
}
