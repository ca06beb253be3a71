package org.icmlora.experiments.pipeline;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.icmlora.experiments.RunContext;
import org.icmlora.lora.Adapter;
import org.icmlora.store.ArtifactStore;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.StageKey;
import org.icmlora.tracks.Evaluation;
import org.icmlora.tracks.Track;

/**
 * Scores one method on one task: the adapter the method gives the task, attached to the base model and evaluated on
 * the task's test split item by item. Evaluations are cached as the stage {@code <track>-evaluation}, keyed by the
 * task, method, rank and seed and by the stage the adapter came from, so a rerun with everything cached takes
 * seconds.
 */
public final class MethodEvaluation {

    private static final Gson GSON = new Gson();
    private static final String FILE = "evaluation.json";

    private MethodEvaluation() {}

    private record Stage(String task, String method, int rank, long seed) {}

    /**
     * The adapter {@code method} gives {@code task}: the last fine-tuning epoch's (Original LoRA), none (Original
     * Model), or one drawn from {@code generator} with the run's seed.
     */
    public static Optional<Adapter> adapter(RunContext context, Track track, Method method, String task, int rank,
            TrainedGenerator generator) {
        return switch (method) {
            case ORIGINAL_MODEL -> Optional.empty();
            case ORIGINAL_LORA -> Optional.of(track.adapters(task, rank).last());
            default -> Optional.of(requireGenerator(method, generator).generate(task, context.seed()));
        };
    }

    /** How {@code method} scores on {@code task}, computed once and cached. */
    public static Evaluation evaluate(RunContext context, Track track, Method method, String task, int rank,
            TrainedGenerator generator) {
        StageKey source = method.isGenerator() ? requireGenerator(method, generator).key()
                : track.adaptersKey(task, rank);
        return evaluate(context, track, task, method.name(), rank, source,
                () -> adapter(context, track, method, task, rank, generator));
    }

    /**
     * How the adapter that {@code adapter} gives (none: the base model) scores on {@code task}, computed once and
     * cached under {@code label} (what the adapter is, e.g. a method's name) and the stage {@code source} it comes
     * from: together they must identify the adapter.
     */
    public static Evaluation evaluate(RunContext context, Track track, String task, String label, int rank,
            StageKey source, Supplier<Optional<Adapter>> adapter) {
        Stage stage = new Stage(task, label, rank, context.seed());
        StageKey key = ArtifactStore.key(track.id() + "-evaluation", stage, source);
        Path dir = context.store().getOrCompute(key, stage, out -> AtomicFiles.writeString(out.resolve(FILE),
                GSON.toJson(track.evaluate(task, adapter.get()).toJson())));
        try {
            return track.readEvaluation(GSON.fromJson(Files.readString(dir.resolve(FILE)), JsonElement.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cached evaluation in " + dir, e);
        }
    }

    private static TrainedGenerator requireGenerator(Method method, TrainedGenerator generator) {
        if (generator == null) {
            throw new IllegalArgumentException(method.paperName() + " needs its own fitted generator, got none");
        }
        return generator;
    }
}
