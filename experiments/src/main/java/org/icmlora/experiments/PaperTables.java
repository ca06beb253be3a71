package org.icmlora.experiments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * The paper's published numbers (Tables 1-6 of ICM-LoRA), read from the CSV files in {@code resources/paper/}. They
 * are shown beside the kit's measured numbers and always labelled as the paper's; nothing measured is ever typed in.
 */
public final class PaperTables {

    private PaperTables() {}

    /** Table 1: detection, rank 2, mAP50 and mAP75 per method and category. */
    public static Table table1() {
        return read("table1_detection_r2.csv", "Paper Table 1");
    }

    /** Table 2: language modelling, rank 2, PPL and BPC per method and domain. */
    public static Table table2() {
        return read("table2_language_r2.csv", "Paper Table 2");
    }

    /** Table 3: storage per item and rank, in the paper's own units ("25G", "283MB"). */
    public static Table table3() {
        return read("table3_storage.csv", "Paper Table 3");
    }

    /** Table 4: mAP50 of dog and cat per rank and generator, with the LoRA parameter count. */
    public static Table table4() {
        return read("table4_rank_ablation_map50.csv", "Paper Table 4");
    }

    /** Table 5: mAP50 on cat per CVAE depth (rows) and rank (columns r1..r8). */
    public static Table table5() {
        return read("table5_conv_depth_cat_map50.csv", "Paper Table 5");
    }

    /** Table 6: mAP50 of dog and cat per task-vector modality. */
    public static Table table6() {
        return read("table6_task_vector_modality_map50.csv", "Paper Table 6");
    }

    /**
     * Reads one paper CSV: text columns stay text, numeric columns become doubles (integers included), so measured
     * tables can be compared column by column.
     */
    static Table read(String file, String title) {
        try (InputStream in = PaperTables.class.getResourceAsStream("/paper/" + file)) {
            if (in == null) {
                throw new IllegalStateException("paper table " + file + " is missing from the experiments jar");
            }
            Table table = Table.read().csv(CsvReadOptions.builder(in).tableName(title)
                    .columnTypesToDetect(java.util.List.of(ColumnType.DOUBLE, ColumnType.STRING)).build());
            return table.setName(title);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read paper table " + file, e);
        }
    }

    /**
     * Bytes from the paper's storage strings: "25G", "4.3G", "423MB". Units are binary (1G = 2^30 bytes), as
     * {@code du -h} prints them; the paper does not say, so this is the kit's reading.
     */
    public static double parseStorage(String text) {
        var matcher = java.util.regex.Pattern.compile("([0-9.]+)\\s*([KMGT]?)B?").matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a storage size: '" + text + "'");
        }
        int power = "KMGT".indexOf(matcher.group(2)) + 1;
        return Double.parseDouble(matcher.group(1)) * Math.pow(1024, power);
    }
}
