package org.icmlora.lora;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The adapters one task's training recorded, one {@link Adapter} directory per epoch ({@code epoch-<n>/}), from which
 * a generator takes the last K of N epochs as its training data.
 *
 * <p>Epochs are always ordered by number, never by directory name: the public reference code sorted folder names as
 * text ({@code epoch_1, epoch_10, epoch_100, epoch_2, ...}), so its "last epochs" were not the last epochs. Only
 * complete adapters count (those whose sidecar, written last, exists); what a killed run left half-written is ignored
 * and overwritten, so training can resume.
 */
public final class AdapterSeries {

    private static final String PREFIX = "epoch-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(0|[1-9]\\d{0,8})");

    private final Path dir;

    /** The series kept in {@code dir} (created on the first {@link #add}). */
    public AdapterSeries(Path dir) {
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

    /** Saves {@code adapter} as the adapter of {@code origin}'s epoch (replacing an earlier save of that epoch). */
    public void add(Adapter adapter, Adapter.Origin origin) {
        adapter.save(epochDir(origin.epoch()), origin);
    }

    /** The epochs of the complete adapters, in increasing numeric order. */
    public List<Integer> epochs() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(AdapterFiles::isComplete).map(p -> NAME.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches).map(m -> Integer.parseInt(m.group(1))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the adapter series " + dir, e);
        }
    }

    /** The highest complete epoch; empty when nothing was saved yet. */
    public OptionalInt latestEpoch() {
        List<Integer> epochs = epochs();
        return epochs.isEmpty() ? OptionalInt.empty() : OptionalInt.of(epochs.get(epochs.size() - 1));
    }

    /** The adapter of one epoch, with where it came from. */
    public AdapterFiles.Stored load(int epoch) {
        return AdapterFiles.read(epochDir(epoch));
    }

    /** The adapter of the highest epoch: what training ended with. */
    public Adapter last() {
        return load(latestEpoch().orElseThrow(() -> new IllegalStateException("the adapter series " + dir
                + " is empty; train the task first"))).adapter();
    }

    /** Every complete adapter, by increasing epoch; all must share one configuration and layout. */
    public List<Adapter> adapters() {
        List<Adapter> adapters = epochs().stream().map(e -> load(e).adapter()).toList();
        for (int i = 1; i < adapters.size(); i++) {
            Adapter a = adapters.get(i);
            if (!a.layout().equals(adapters.get(0).layout()) || !a.config().equals(adapters.get(0).config())) {
                throw new IllegalStateException("adapter series " + dir + " mixes configurations or layouts: epoch "
                        + epochs().get(i) + " differs from epoch " + epochs().get(0)
                        + "; a series holds one task's adapters of one configuration");
            }
        }
        return adapters;
    }

    /**
     * Copies the complete adapters (and nothing else: nothing a killed run left) into {@code target} and returns the
     * series there. Used to move a series from a stage's work directory into its output.
     */
    public AdapterSeries copyTo(Path target) {
        try {
            for (int epoch : epochs()) {
                Path to = target.resolve(PREFIX + epoch);
                Files.createDirectories(to);
                // the sidecar last, as when the adapter was written
                for (String file : List.of(AdapterFiles.WEIGHTS, AdapterFiles.PEFT_CONFIG, AdapterFiles.SIDECAR)) {
                    Files.copy(epochDir(epoch).resolve(file), to.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy adapter series " + dir + " to " + target + ": "
                    + e.getMessage(), e);
        }
        return new AdapterSeries(target);
    }

    private Path epochDir(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        return dir.resolve(PREFIX + epoch);
    }

    @Override
    public String toString() {
        return "AdapterSeries(" + dir + ", epochs " + epochs() + ")";
    }
}
