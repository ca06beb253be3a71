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

class CheckpointSeriesTest {

    private static final LoraConfig CONFIG = LoraConfig.of(1, "fc");
    private static final LoraLayout LAYOUT = new LoraLayout(1, CONFIG.scale(), List.of(new LoraLayout.Layer("fc", 2, 2)));

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        KitEngine.init(1);
    }

    /** A vector whose every value is the epoch, so order mistakes show in the values. */
    private static float[] vectorOf(int epoch) {
        float[] vector = new float[LAYOUT.size()];
        java.util.Arrays.fill(vector, epoch);
        return vector;
    }

    private CheckpointSeries seriesWith(int... epochs) {
        CheckpointSeries series = new CheckpointSeries(dir);
        for (int epoch : epochs) {
            series.add(CONFIG, LAYOUT, vectorOf(epoch), epoch, Map.of("loss", 1.0 / (epoch + 1)));
        }
        return series;
    }

    @Test
    void epochsAreOrderedNumericallyNotByFileName() throws IOException {
        CheckpointSeries series = seriesWith(2, 100, 1, 10, 20);
        try (Stream<Path> files = Files.list(dir)) {
            // The reference code's bug: sorted as text, epoch 10 and 100 come before epoch 2.
            assertEquals(List.of("epoch-1.json", "epoch-10.json", "epoch-100.json", "epoch-2.json", "epoch-20.json"),
                    files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList());
        }
        assertEquals(List.of(1, 2, 10, 20, 100), series.epochs());
        assertEquals(List.of(20, 100), series.last(2).stream().map(LoraCheckpoint::epoch).toList());
        float[][] vectors = series.vectors();
        assertEquals(5, vectors.length);
        assertArrayEquals(vectorOf(10), vectors[2], 0f);
        assertArrayEquals(vectorOf(100), vectors[4], 0f);
        assertEquals(OptionalInt.of(100), series.latestEpoch());
    }

    @Test
    void incompleteAndForeignFilesDoNotCount() throws IOException {
        CheckpointSeries series = seriesWith(1, 2);
        Files.write(dir.resolve("epoch-3.safetensors"), new byte[] {1, 2, 3}); // killed before its JSON was written
        Files.writeString(dir.resolve(".epoch-4.json.1234.tmp"), "{");
        Files.writeString(dir.resolve("epoch_5.json"), "{}");
        Files.writeString(dir.resolve("epoch-06.json"), "{}");
        assertEquals(List.of(1, 2), series.epochs());
        assertEquals(OptionalInt.of(2), series.latestEpoch());
        assertEquals(OptionalInt.empty(), new CheckpointSeries(dir.resolve("none")).latestEpoch());
    }

    @Test
    void copyingTakesOnlyCompleteCheckpoints(@TempDir Path target) throws IOException {
        CheckpointSeries series = seriesWith(1, 12);
        Files.writeString(dir.resolve(".epoch-13.safetensors.99.tmp"), "partial");
        Files.write(dir.resolve("epoch-13.safetensors"), new byte[] {1});
        CheckpointSeries copy = series.copyTo(target);
        try (Stream<Path> files = Files.list(target)) {
            assertEquals(List.of("epoch-1.json", "epoch-1.safetensors", "epoch-12.json", "epoch-12.safetensors"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        assertEquals(series.load(), copy.load());
    }

    @Test
    void askingForMoreCheckpointsThanSavedNamesTheSeries() {
        CheckpointSeries series = seriesWith(4, 5);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> series.last(3));
        assertTrue(e.getMessage().contains("asked for the last 3 checkpoints of " + dir + " but it holds 2 (epochs [4, 5])"),
                e.getMessage());
    }

    @Test
    void aSeriesRefusesMixedLayouts() {
        CheckpointSeries series = seriesWith(1);
        LoraLayout other = new LoraLayout(1, CONFIG.scale(), List.of(new LoraLayout.Layer("fc", 2, 3)));
        series.add(CONFIG, other, new float[other.size()], 2, Map.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, series::load);
        assertTrue(e.getMessage().contains("mixes layouts: epoch 2 differs from epoch 1"), e.getMessage());
    }

    @Test
    void firstKeptEpochKeepsTheLastEpochs() {
        assertEquals(101, CheckpointSeries.firstKeptEpoch(150, 50));
        assertEquals(1, CheckpointSeries.firstKeptEpoch(3, 3));
        assertThrows(IllegalArgumentException.class, () -> CheckpointSeries.firstKeptEpoch(3, 4));
    }
}
