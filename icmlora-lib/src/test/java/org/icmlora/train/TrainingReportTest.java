package org.icmlora.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage's training report survives its file without this computation's time and resume point (so equal outputs are
 * equal bytes); a stage cached without one reads as absent.
 */
class TrainingReportTest {

    @Test
    void writtenReportsReadBackAndMissingOnesAreEmpty(@TempDir Path dir) {
        TrainingReport report = new TrainingReport("lm-lora", List.of(Map.of("loss", 2.5), Map.of("loss", 1.25)), 1,
                true, 12, 3.5);
        report.write(dir.resolve("training.json"));
        assertEquals(new TrainingReport("lm-lora", report.history(), 0, true, 12, 0),
                TrainingReport.read(dir.resolve("training.json")).orElseThrow());
        assertTrue(TrainingReport.read(dir.resolve("none.json")).isEmpty());
    }
}
