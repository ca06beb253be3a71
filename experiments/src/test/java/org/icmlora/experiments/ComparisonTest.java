package org.icmlora.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class ComparisonTest {

    @Test
    void paperTablesLoadWithNumericValues() {
        Table table1 = PaperTables.table1();
        assertEquals(25, table1.rowCount());
        assertEquals(0.96, table1.doubleColumn("map50").get(0), 1e-12);
        assertEquals(12, PaperTables.table4().rowCount());
        assertEquals(6, PaperTables.table5().rowCount());
    }

    @Test
    void matchesRowsOnKeysAndComputesDifferences() {
        Table measured = Table.create("m", StringColumn.create("method", "ICM-LoRA", "Model Soup"),
                IntColumn.create("rank", 2, 2), DoubleColumn.create("dog", 0.5, 0.25));
        Table paper = Table.create("p", StringColumn.create("method", "Model Soup", "ICM-LoRA", "COND P-DIFF"),
                DoubleColumn.create("rank", 2.0, 2.0, 2.0), DoubleColumn.create("dog", 0.93, 0.96, 0.94));
        Table compared = Comparison.of("t", measured, paper, List.of("method", "rank"), List.of("dog"));
        assertEquals(List.of("method", "rank", "dog measured", "dog sd", "dog paper", "dog difference"),
                compared.columnNames());
        assertEquals(0.25, compared.doubleColumn("dog measured").get(0), 1e-12);
        assertEquals(0.5 - 0.96, compared.doubleColumn("dog difference").get(1), 1e-12);
        assertTrue(compared.doubleColumn("dog measured").isMissing(2), "unmeasured rows stay empty");
        assertEquals("2", compared.stringColumn("rank").get(0));
    }

    @Test
    void storageStringsUseBinaryUnits() {
        assertEquals(25.0 * (1L << 30), PaperTables.parseStorage("25G"), 1e-3);
        assertEquals(283.0 * (1L << 20), PaperTables.parseStorage("283MB"), 1e-3);
        assertThrows(IllegalArgumentException.class, () -> PaperTables.parseStorage("lots"));
    }
}
