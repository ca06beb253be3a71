package org.icmlora.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CvaeBenchmarkTest {

    @Test
    void printsATrainingRowPerCaseAndAGenerationRowPerLength() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        CvaeBenchmark.run(CvaeBenchmark.Options.parse("--epochs", "1", "--repeats", "1", "--lengths", "256",
                "--batches", "2,4", "--generations", "2"), new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.matches("(?s).*\\| 256 \\| 2 \\| [0-9.]+ \\|.*\\| 256 \\| 4 \\| [0-9.]+ \\|.*"), out);
        assertTrue(out.matches("(?s).*generating one adapter.*\\n\\| 256 \\| [0-9.]+ \\| [0-9.]+ \\|.*"), out);
        assertTrue(out.contains("load average (1, 5, 15 min) at end"), out);
    }

    @Test
    void optionsAreParsedAndABadOneIsNamed() {
        CvaeBenchmark.Options s = CvaeBenchmark.Options.parse("--lengths", "16384", "--batches", "8");
        assertArrayEquals(new int[] {16_384}, s.lengths());
        assertArrayEquals(new int[] {8}, s.batches());
        assertEquals(3, s.epochs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CvaeBenchmark.Options.parse("--batches", "0"));
        assertEquals("--batches needs whole numbers >= 1, got '0'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CvaeBenchmark.Options.parse("--threads", "2"));
        assertTrue(e.getMessage().startsWith("unknown option --threads; options:"), e.getMessage());
    }

    @Test
    void syntheticAdaptersHaveTheRequestedLengthInRankTwoLayers() {
        assertEquals(65_536, CvaeBenchmark.synthetic(65_536).adapterLength());
        assertEquals(4, CvaeBenchmark.synthetic(65_536).layout().layers().size());
        assertEquals(256, CvaeBenchmark.synthetic(256).adapterLength());
        assertThrows(IllegalArgumentException.class, () -> CvaeBenchmark.synthetic(250));
    }
}
