package org.icmlora.experiments.pipeline;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.icmlora.engine.Workers;
import org.icmlora.experiments.RunContext;
import org.icmlora.lora.Adapter;
import org.icmlora.store.ArtifactStore;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.StageKey;
import org.icmlora.tracks.Evaluation;
import org.icmlora.tracks.Track;
import org.icmlora.train.Progress;

/**
 * Scores one method on one task: the adapter the method gives the task, attached to the base model and evaluated on
 * the task's test split item by item. Evaluations are cached as the stage {@code <track>-evaluation}, keyed by the
 * task, method (or another label), rank and seed and by the stage the adapter came from, so a rerun with everything cached takes
 * seconds.
 *
 * <p>{@link #evaluateAll} takes a whole table's cells at once: those not cached yet are grouped by track, task and
 * rank, each group's adapters are scored together in one batched pass ({@link Track#evaluateAll}, equal to scoring
 * them one by one) and the groups run side by side on the {@link Workers}.
 */
public final class MethodEvaluation {

    /** At most this many adapters go through one batched pass (memory grows with it, the gain levels off). */
    static final int MAX_BATCH = 8;

    private static final Gson GSON = new Gson();
    private static final String FILE = "evaluation.json";

    private MethodEvaluation() {}

    private record Stage(String task, String method, int rank, long seed) {}

    /**
     * One evaluation to make: the adapter {@code adapter} supplies (none: the base model) on {@code task} of
     * {@code track} at {@code rank}, cached under {@code label} (what the adapter is, e.g. a method's name) and the key
     * of the stage the adapter comes from.
     */
    public record Request(RunContext context, Track track, String task, String label, int rank, StageKey source,
            Supplier<Optional<Adapter>> adapter) {

        /** How {@code method} scores on {@code task}: its adapter from {@code generator} when it generates. */
        public static Request of(RunContext context, Track track, Method method, String task, int rank,
                TrainedGenerator generator) {
            StageKey source = method.isGenerator() ? requireGenerator(method, generator).key()
                    : track.adaptersKey(task, rank);
            return new Request(context, track, task, method.name(), rank, source,
                    () -> MethodEvaluation.adapter(context, track, method, task, rank, generator));
        }

        StageKey key() {
            return ArtifactStore.key(track.id() + "-evaluation", stage(), source);
        }

        Stage stage() {
            return new Stage(task, label, rank, context.seed());
        }
    }

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
        return evaluateAll(List.of(Request.of(context, track, method, task, rank, generator))).get(0);
    }

    /**
     * How the adapter {@code adapter} supplies scores on {@code task}, computed once and cached under {@code label}
     * (what the adapter is, e.g. "ICM_LORA condition of bag") and the key of the stage it comes from: the controls and
     * the reference rows use it for adapters no {@link Method} gives.
     */
    public static Evaluation evaluate(RunContext context, Track track, String task, String label, int rank,
            StageKey source, Supplier<Optional<Adapter>> adapter) {
        return evaluateAll(List.of(new Request(context, track, task, label, rank, source, adapter))).get(0);
    }

    /**
     * Every request's evaluation, in the requests' order, each computed once and cached; the ones not cached yet are
     * scored in batches of up to {@link #MAX_BATCH} adapters of one track, task and rank, the batches side by side,
     * with a progress line (adapters scored, time left) every few seconds.
     */
    public static List<Evaluation> evaluateAll(List<Request> requests) {
        Map<List<Object>, List<Request>> missing = new LinkedHashMap<>();
        Set<StageKey> queued = new LinkedHashSet<>();
        for (Request request : requests) {
            StageKey key = request.key();
            if (!request.context().store().isComplete(key) && queued.add(key)) {
                missing.computeIfAbsent(List.of(request.track(), request.task(), request.rank()),
                        group -> new ArrayList<>()).add(request);
            }
        }
        List<List<Request>> batches = new ArrayList<>();
        for (List<Request> group : missing.values()) {
            for (int start = 0; start < group.size(); start += MAX_BATCH) {
                batches.add(group.subList(start, Math.min(group.size(), start + MAX_BATCH)));
            }
        }
        Progress progress = new Progress("evaluations (adapters scored)", batches.stream().mapToInt(List::size)
                .sum());
        AtomicInteger scored = new AtomicInteger();
        Workers.forEach(batches, batch -> {
            computeTogether(batch);
            progress.update(scored.addAndGet(batch.size()), batch.get(0).track().id() + " " + batch.get(0).task());
        });
        return requests.stream().map(MethodEvaluation::read).toList();
    }

    /**
     * Scores one batch (one track, task and rank) in one pass and stores each evaluation under its own key. The pass
     * runs as the first request's stage (so the stage times count it); if another run stored that one meanwhile, the
     * others are left to {@link #read}, one by one.
     */
    private static void computeTogether(List<Request> batch) {
        Request first = batch.get(0);
        List<List<Evaluation>> scores = new ArrayList<>();
        first.context().store().getOrCompute(first.key(), first.stage(), out -> {
            scores.add(first.track().evaluateAll(first.task(),
                    batch.stream().map(request -> request.adapter().get()).toList()));
            AtomicFiles.writeString(out.resolve(FILE), GSON.toJson(scores.get(0).get(0).toJson()));
        });
        for (int i = 1; i < batch.size() && !scores.isEmpty(); i++) {
            String json = GSON.toJson(scores.get(0).get(i).toJson());
            batch.get(i).context().store().getOrCompute(batch.get(i).key(), batch.get(i).stage(),
                    out -> AtomicFiles.writeString(out.resolve(FILE), json));
        }
    }

    /** The cached evaluation of {@code request}, computed on its own if it is not cached yet. */
    private static Evaluation read(Request request) {
        Path dir = request.context().store().getOrCompute(request.key(), request.stage(), out -> AtomicFiles.writeString(
                out.resolve(FILE), GSON.toJson(request.track().evaluate(request.task(), request.adapter().get())
                        .toJson())));
        try {
            return request.track().readEvaluation(GSON.fromJson(Files.readString(dir.resolve(FILE)),
                    JsonElement.class));
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
