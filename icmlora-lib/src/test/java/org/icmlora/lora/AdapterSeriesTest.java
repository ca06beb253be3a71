package org.icmlora.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterSeriesTest {

    private static final LoraConfig CONFIG = AdapterFilesTest.CONFIG;
    private static final LoraLayout LAYOUT = AdapterFilesTest.LAYOUT;

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        KitEngine.init(1);
    }

    /** An adapter whose every value is the epoch, so order mistakes show in the values. */
    private static Adapter adapterOf(int epoch) {
        float[] values = new float[LAYOUT.size()];
        java.util.Arrays.fill(values, epoch);
        return new Adapter(CONFIG, LAYOUT, values);
    }

    private AdapterSeries seriesWith(int... epochs) {
        AdapterSeries series = new AdapterSeries(dir);
        for (int epoch : epochs) {
            series.add(adapterOf(epoch), new Adapter.Origin(epoch, Map.of("loss", 1.0 / (epoch + 1))));
        }
        return series;
    }

    @Test
    void epochsAreOrderedNumericallyNotByName() throws IOException {
        AdapterSeries series = seriesWith(2, 100, 1, 10, 20);
        try (Stream<Path> entries = Files.list(dir)) {
            // The reference code's bug: sorted as text, epochs 10 and 100 come before epoch 2.
            assertEquals(List.of("epoch-1", "epoch-10", "epoch-100", "epoch-2", "epoch-20"),
                    entries.map(f -> f.getFileName().toString()).sorted().toList());
        }
        assertEquals(List.of(1, 2, 10, 20, 100), series.epochs());
        List<Adapter> adapters = series.adapters();
        assertArrayEquals(adapterOf(10).values(), adapters.get(2).values(), 0f);
        assertEquals(adapterOf(100), series.last());
        assertEquals(0.5, series.load(1).origin().metrics().get("loss"));
        assertEquals(OptionalInt.of(100), series.latestEpoch());
    }

    @Test
    void incompleteAndForeignEntriesDoNotCount() throws IOException {
        AdapterSeries series = seriesWith(1, 2);
        Files.createDirectories(dir.resolve("epoch-3"));
        Files.write(dir.resolve("epoch-3").resolve(AdapterFiles.WEIGHTS), new byte[] {1, 2, 3}); // killed mid-write
        Files.createDirectories(dir.resolve("epoch_5"));
        Files.createDirectories(dir.resolve("epoch-06"));
        adapterOf(6).save(dir.resolve("epoch-06"), Adapter.Origin.NONE);
        assertEquals(List.of(1, 2), series.epochs());
        assertEquals(OptionalInt.empty(), new AdapterSeries(dir.resolve("none")).latestEpoch());
        IllegalStateException empty = assertThrows(IllegalStateException.class,
                () -> new AdapterSeries(dir.resolve("none")).last());
        assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
    }

    @Test
    void copyingTakesOnlyCompleteAdapters(@TempDir Path target) throws IOException {
        AdapterSeries series = seriesWith(1, 12);
        Files.createDirectories(dir.resolve("epoch-13"));
        Files.write(dir.resolve("epoch-13").resolve(AdapterFiles.WEIGHTS), new byte[] {1});
        AdapterSeries copy = series.copyTo(target);
        try (Stream<Path> entries = Files.list(target)) {
            assertEquals(List.of("epoch-1", "epoch-12"), entries.map(f -> f.getFileName().toString()).sorted()
                    .toList());
        }
        assertEquals(series.adapters(), copy.adapters());
    }

    @Test
    void aSeriesRefusesMixedLayouts() {
        AdapterSeries series = seriesWith(1);
        LoraLayout other = new LoraLayout(2, CONFIG.scale(), List.of(new LoraLayout.Layer("head", 2, 3)));
        series.add(new Adapter(CONFIG, other, new float[other.size()]), new Adapter.Origin(2, Map.of()));
        IllegalStateException e = assertThrows(IllegalStateException.class, series::adapters);
        assertTrue(e.getMessage().contains("mixes configurations or layouts: epoch 2 differs from epoch 1"),
                e.getMessage());
    }

    @Test
    void firstKeptEpochKeepsTheLastEpochs() {
        assertEquals(101, AdapterSeries.firstKeptEpoch(150, 50));
        assertEquals(1, AdapterSeries.firstKeptEpoch(3, 3));
        assertThrows(IllegalArgumentException.class, () -> AdapterSeries.firstKeptEpoch(3, 4));
    }
}
