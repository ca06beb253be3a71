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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of one training phase in a work directory: {@code <phase>-epoch-<n>.safetensors} with the tensors and
 * {@code <phase>-epoch-<n>.json} with the epoch, the optimiser's step count, a fingerprint of what is being trained,
 * the tensors' SHA-256, any extra metadata (the loss history) and a checksum of all of it. The JSON is written last,
 * so a checkpoint without it (a run killed mid-write) is ignored.
 *
 * <p>The two newest checkpoints are kept. {@link #latest} resumes from the newest intact one: a checkpoint whose
 * tensors or metadata fail their checksums, or cannot be read, is reported as a warning and deleted, and the one
 * before it is used, or none, and training starts from scratch. Damage never stops a run and is never resumed from.
 *
 * <p>The newest checkpoint is the one with the largest epoch number compared as a number. (The reference code sorts
 * its checkpoint folders by name, so {@code epoch_100} comes before {@code epoch_20}.)
 */
public final class TrainingCheckpoints {

    /** How many checkpoints of a phase are kept: the newest, and the one to fall back to if it is damaged. */
    public static final int KEPT = 2;

    private static final Gson GSON = new Gson();
    private static final Logger LOG = LoggerFactory.getLogger(TrainingCheckpoints.class);

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

    /** Writes the checkpoint of {@code epoch} and removes those of this phase older than the newest {@link #KEPT}. */
    public void save(int epoch, int optimizerSteps, String fingerprint, NDList tensors) {
        save(epoch, optimizerSteps, fingerprint, tensors, new JsonObject());
    }

    /**
     * Writes the checkpoint of {@code epoch}, with {@code extra} (for example the loss history) among its metadata,
     * and removes those of this phase older than the newest {@link #KEPT}.
     */
    public void save(int epoch, int optimizerSteps, String fingerprint, NDList tensors, JsonObject extra) {
        Path weights = weightsFile(epoch);
        AtomicFiles.write(weights, out -> tensors.encode(out, NDList.Encoding.SAFETENSORS));
        JsonObject meta = extra.deepCopy();
        meta.addProperty("phase", phase);
        meta.addProperty("epoch", epoch);
        meta.addProperty("optimizerSteps", optimizerSteps);
        meta.addProperty("fingerprint", fingerprint);
        meta.addProperty("weightsSha256", AtomicFiles.sha256(weights));
        meta.addProperty("checksum", checksum(meta));
        AtomicFiles.writeString(metaFile(epoch), GSON.toJson(meta));
        List<Integer> epochs = epochs();
        for (int older : epochs.subList(0, Math.max(0, epochs.size() - KEPT))) {
            delete(older);
        }
    }

    /** Epoch numbers of the checkpoints present (their JSON written), in increasing numeric order. */
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
     * The newest intact checkpoint, if any; damaged ones are logged, deleted and skipped. Fails only when an intact
     * checkpoint was written for another fingerprint (another configuration or data set), since resuming from it
     * would silently mix two trainings.
     */
    public Optional<Checkpoint> latest(String fingerprint, NDManager manager) {
        List<Integer> epochs = epochs();
        for (int i = epochs.size() - 1; i >= 0; i--) {
            int epoch = epochs.get(i);
            try {
                return Optional.of(read(epoch, fingerprint, manager));
            } catch (DamagedCheckpoint e) {
                String fallback = i > 0 ? "resuming from epoch " + epochs.get(i - 1) + " instead"
                        : "training starts from scratch";
                LOG.warn("{}: the checkpoint of epoch {} in {} is damaged ({}); deleted it, {}", phase, epoch, dir,
                        e.getMessage(), fallback);
                delete(epoch);
            }
        }
        return Optional.empty();
    }

    private Checkpoint read(int epoch, String fingerprint, NDManager manager) throws DamagedCheckpoint {
        Path metaFile = metaFile(epoch);
        Path weights = weightsFile(epoch);
        JsonObject meta;
        try {
            meta = GSON.fromJson(Files.readString(metaFile), JsonObject.class);
            if (meta == null || !meta.has("checksum") || !meta.get("checksum").getAsString().equals(checksum(meta))) {
                throw new DamagedCheckpoint(metaFile.getFileName() + " does not match its checksum");
            }
            if (meta.get("epoch").getAsInt() != epoch || !phase.equals(meta.get("phase").getAsString())) {
                throw new DamagedCheckpoint(metaFile.getFileName() + " describes another checkpoint");
            }
        } catch (IOException | RuntimeException e) {
            throw new DamagedCheckpoint(metaFile.getFileName() + " cannot be read (" + e.getMessage() + ")");
        }
        if (!fingerprint.equals(meta.get("fingerprint").getAsString())) {
            throw new IllegalStateException(metaFile + " belongs to another configuration or training set;"
                    + " delete " + dir + " to start this training from scratch");
        }
        if (!Files.isRegularFile(weights) || !AtomicFiles.sha256(weights).equals(
                meta.get("weightsSha256").getAsString())) {
            throw new DamagedCheckpoint(weights.getFileName() + (Files.isRegularFile(weights)
                    ? " does not match its recorded SHA-256" : " is missing"));
        }
        try (InputStream in = Files.newInputStream(weights)) {
            return new Checkpoint(epoch, meta.get("optimizerSteps").getAsInt(), meta, NDList.decode(manager, in));
        } catch (IOException | RuntimeException e) {
            throw new DamagedCheckpoint(weights.getFileName() + " cannot be decoded (" + e.getMessage() + ")");
        }
    }

    /**
     * SHA-256 of the metadata without its checksum, as JSON: an edited epoch, step count or loss history is caught like
     * a flipped weight. (Gson writes members in the order they were read, and numbers as they were written.)
     */
    private static String checksum(JsonObject meta) {
        JsonObject fields = meta.deepCopy();
        fields.remove("checksum");
        return AtomicFiles.sha256(GSON.toJson(fields));
    }

    private void delete(int epoch) {
        AtomicFiles.deleteQuietly(metaFile(epoch)); // first: without it the tensors no longer count as a checkpoint
        AtomicFiles.deleteQuietly(weightsFile(epoch));
    }

    private Path metaFile(int epoch) {
        return dir.resolve(phase + "-epoch-" + epoch + ".json");
    }

    private Path weightsFile(int epoch) {
        return dir.resolve(phase + "-epoch-" + epoch + ".safetensors");
    }

    /** A checkpoint that fails a checksum or cannot be read: skipped, never resumed from. */
    private static final class DamagedCheckpoint extends Exception {
        DamagedCheckpoint(String problem) {
            super(problem);
        }
    }
}
