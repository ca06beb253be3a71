package org.icmlora.lora;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The adapters of one task saved over training: {@code epoch-<n>.safetensors} / {@code epoch-<n>.json} checkpoints in
 * one directory, from which a generator takes the last K of N epochs as its training data.
 *
 * <p>Checkpoints are always ordered by their numeric epoch, never by file name: the public reference code sorted
 * folder names as text ({@code epoch_1, epoch_10, epoch_100, epoch_2, ...}), so its "last epochs" were not the last
 * epochs. Only complete checkpoints count (those whose JSON file, written last, exists); temporary files of a killed
 * run are ignored, so training can resume from {@link #latestEpoch()}.
 */
public final class CheckpointSeries {

    private static final String PREFIX = "epoch-";
    private static final Pattern COMPLETE = Pattern.compile(Pattern.quote(PREFIX) + "(0|[1-9]\\d{0,8})"
            + Pattern.quote(LoraCheckpoint.METADATA_SUFFIX));

    private final Path dir;

    /** The series kept in {@code dir} (created on the first {@link #add}). */
    public CheckpointSeries(Path dir) {
        this.dir = dir;
    }

    /** The directory of this series. */
    public Path dir() {
        return dir;
    }

    /**
     * The first epoch to record when the last {@code keep} of {@code epochs} epochs (numbered 1..epochs) are kept:
     * record epoch e when {@code e >= firstKeptEpoch(epochs, keep)}.
     */
    public static int firstKeptEpoch(int epochs, int keep) {
        if (keep < 1 || keep > epochs) {
            throw new IllegalArgumentException("cannot keep the last " + keep + " of " + epochs
                    + " epochs; keep must be in [1, epochs]");
        }
        return epochs - keep + 1;
    }

    /** The checkpoint name of {@code epoch}: {@code epoch-<n>}. */
    public static String nameOf(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        return PREFIX + epoch;
    }

    /** Saves the adapter of {@code epoch} into the series (replacing an earlier save of the same epoch). */
    public void add(LoraConfig config, LoraLayout layout, float[] vector, int epoch, Map<String, Double> metrics) {
        LoraCheckpoint.save(dir, nameOf(epoch), config, layout, vector, epoch, metrics);
    }

    /** The epochs of the complete checkpoints, in increasing numeric order. */
    public List<Integer> epochs() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> COMPLETE.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoint series " + dir, e);
        }
    }

    /** The highest complete epoch, where a resumed run continues; empty when nothing was saved yet. */
    public OptionalInt latestEpoch() {
        List<Integer> epochs = epochs();
        return epochs.isEmpty() ? OptionalInt.empty() : OptionalInt.of(epochs.get(epochs.size() - 1));
    }

    /** The checkpoint of one epoch. */
    public LoraCheckpoint load(int epoch) {
        return LoraCheckpoint.load(dir.resolve(nameOf(epoch) + LoraCheckpoint.METADATA_SUFFIX));
    }

    /** Every complete checkpoint, by increasing epoch; all must share one layout. */
    public List<LoraCheckpoint> load() {
        return loadAll(epochs());
    }

    /** The {@code k} checkpoints of the highest epochs, by increasing epoch; fails when fewer than k exist. */
    public List<LoraCheckpoint> last(int k) {
        List<Integer> epochs = epochs();
        if (k < 1 || k > epochs.size()) {
            throw new IllegalStateException("asked for the last " + k + " checkpoints of " + dir + " but it holds "
                    + epochs.size() + " (epochs " + epochs + "); train longer or keep more epochs");
        }
        return loadAll(epochs.subList(epochs.size() - k, epochs.size()));
    }

    /** The adapter vectors of every checkpoint, by increasing epoch. */
    public float[][] vectors() {
        return load().stream().map(LoraCheckpoint::vector).toArray(float[][]::new);
    }

    /**
     * Copies the complete checkpoints (and nothing else: no temporary files of a killed run) into {@code target}, each
     * tensor file before its JSON file, and returns the series there. Used to move a series from a stage's work
     * directory into its output.
     */
    public CheckpointSeries copyTo(Path target) {
        try {
            Files.createDirectories(target);
            for (int epoch : epochs()) {
                for (String suffix : List.of(LoraCheckpoint.TENSOR_SUFFIX, LoraCheckpoint.METADATA_SUFFIX)) {
                    String file = nameOf(epoch) + suffix;
                    Files.copy(dir.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy checkpoint series " + dir + " to " + target + ": "
                    + e.getMessage(), e);
        }
        return new CheckpointSeries(target);
    }

    private List<LoraCheckpoint> loadAll(List<Integer> epochs) {
        List<LoraCheckpoint> checkpoints = epochs.stream().map(this::load).toList();
        for (LoraCheckpoint checkpoint : checkpoints) {
            if (!checkpoint.layout().equals(checkpoints.get(0).layout())) {
                throw new IllegalStateException("checkpoint series " + dir + " mixes layouts: epoch "
                        + checkpoint.epoch() + " differs from epoch " + checkpoints.get(0).epoch()
                        + "; a series holds one task's adapters of one configuration");
            }
        }
        return checkpoints;
    }

    @Override
    public String toString() {
        return "CheckpointSeries(" + dir + ", epochs " + epochs() + ")";
    }
}
