package org.icmlora.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.icmlora.store.AtomicFiles;

/**
 * Checkpoints of one training phase in a work directory: {@code <phase>-epoch-<n>.safetensors} with the tensors and
 * {@code <phase>-epoch-<n>.json} with the epoch, the optimiser's step count, a fingerprint of what is being trained
 * and the tensors' SHA-256. The JSON is written last, so a checkpoint without it (a run killed mid-write) is ignored.
 *
 * <p>The newest checkpoint is the one with the largest epoch number compared as a number. (The reference code sorts
 * its checkpoint folders by name, so {@code epoch_100} comes before {@code epoch_20}.) Older checkpoints of the phase
 * are deleted once a newer one is complete.
 */
public final class TrainingCheckpoints {

    private static final Gson GSON = new Gson();

    private final Path dir;
    private final String phase;
    private final Pattern pattern;

    /** Checkpoints of {@code phase} (letters, digits, '-') in {@code dir}. */
    public TrainingCheckpoints(Path dir, String phase) {
        if (!phase.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("checkpoint phase name must be letters, digits or '-', got " + phase);
        }
        this.dir = dir;
        this.phase = phase;
        this.pattern = Pattern.compile(Pattern.quote(phase) + "-epoch-(\\d+)\\.json");
    }

    /** One checkpoint read back. */
    public record Checkpoint(int epoch, int optimizerSteps, JsonObject metadata, NDList tensors) {}

    /** Writes the checkpoint of {@code epoch} and removes older ones of this phase. */
    public void save(int epoch, int optimizerSteps, String fingerprint, NDList tensors) {
        save(epoch, optimizerSteps, fingerprint, tensors, new JsonObject());
    }

    /**
     * Writes the checkpoint of {@code epoch}, with {@code extra} (for example the loss history) among its metadata,
     * and removes older ones of this phase.
     */
    public void save(int epoch, int optimizerSteps, String fingerprint, NDList tensors, JsonObject extra) {
        Path weights = dir.resolve(phase + "-epoch-" + epoch + ".safetensors");
        AtomicFiles.write(weights, out -> tensors.encode(out, NDList.Encoding.SAFETENSORS));
        JsonObject meta = extra.deepCopy();
        meta.addProperty("phase", phase);
        meta.addProperty("epoch", epoch);
        meta.addProperty("optimizerSteps", optimizerSteps);
        meta.addProperty("fingerprint", fingerprint);
        meta.addProperty("weightsSha256", AtomicFiles.sha256(weights));
        AtomicFiles.writeString(dir.resolve(phase + "-epoch-" + epoch + ".json"), GSON.toJson(meta));
        for (int older : epochs()) {
            if (older < epoch) {
                AtomicFiles.deleteQuietly(dir.resolve(phase + "-epoch-" + older + ".json"));
                AtomicFiles.deleteQuietly(dir.resolve(phase + "-epoch-" + older + ".safetensors"));
            }
        }
    }

    /** Epoch numbers of the complete checkpoints present, in increasing numeric order. */
    public List<Integer> epochs() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> pattern.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1))).sorted(Comparator.naturalOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The newest checkpoint, if any. Fails when it was written for another fingerprint (another configuration or
     * data set), since resuming from it would silently mix two trainings.
     */
    public Optional<Checkpoint> latest(String fingerprint, NDManager manager) {
        List<Integer> epochs = epochs();
        if (epochs.isEmpty()) {
            return Optional.empty();
        }
        int epoch = epochs.get(epochs.size() - 1);
        Path metaFile = dir.resolve(phase + "-epoch-" + epoch + ".json");
        Path weights = dir.resolve(phase + "-epoch-" + epoch + ".safetensors");
        try {
            JsonObject meta = GSON.fromJson(Files.readString(metaFile), JsonObject.class);
            if (!fingerprint.equals(meta.get("fingerprint").getAsString())) {
                throw new IllegalStateException(metaFile + " belongs to another configuration or training set;"
                        + " use a fresh work directory or delete " + dir);
            }
            if (!AtomicFiles.sha256(weights).equals(meta.get("weightsSha256").getAsString())) {
                throw new IllegalStateException(weights + " does not match its recorded SHA-256; delete it and "
                        + metaFile + " to resume from scratch");
            }
            try (InputStream in = Files.newInputStream(weights)) {
                return Optional.of(new Checkpoint(epoch, meta.get("optimizerSteps").getAsInt(), meta,
                        NDList.decode(manager, in)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + metaFile + ": " + e.getMessage(), e);
        }
    }
}
