package org.icmlora.experiments.pipeline;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.icmlora.engine.Workers;
import org.icmlora.store.StageKey;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.Task;
import org.icmlora.tracks.Track;

/**
 * The stages that generators and evaluations read, computed phase by phase so that each phase's outputs are
 * independent and run side by side on the {@link Workers}: first the base models, then every task's adapter series,
 * then the task vectors. Outputs already cached cost a look-up. Doing it in phases matters: two units that needed the
 * same uncached output at once would leave one worker waiting for the other.
 */
public final class Upstream {

    private Upstream() {}

    /**
     * Computes, for each of {@code tracks} (one per seed, say), the base model, the adapter series of every table task
     * at each of {@code ranks} (and at the rank the fine-tuned task vectors use, when a condition needs them), and the
     * task vectors of every table task for each of {@code conditions}.
     */
    public static void prepare(Collection<Track> tracks, Collection<Integer> ranks, Collection<ConditionKind> conditions) {
        Map<Track, Set<String>> tasks = new LinkedHashMap<>();
        tracks.forEach(track -> tasks.computeIfAbsent(track, t -> new LinkedHashSet<>())
                .addAll(track.tasks().stream().map(Task::id).toList()));
        prepare(tasks, ranks, conditions);
    }

    /**
     * As {@link #prepare(Collection, Collection, Collection)}, for the tasks named per track (table or extra tasks):
     * the held-out experiment needs the extra tasks too.
     */
    public static void prepare(Map<Track, ? extends Collection<String>> tasks, Collection<Integer> ranks,
            Collection<ConditionKind> conditions) {
        prepare(tasks.entrySet().stream().map(e -> new Need(e.getKey(), e.getValue(), ranks, conditions)).toList());
    }

    /**
     * What one reader needs: the base model of {@code track}, the adapter series of {@code tasks} at each of
     * {@code ranks} (and at the rank of the fine-tuned task vectors when a condition is made of them), and the
     * tasks' vectors of each of {@code conditions}.
     */
    public record Need(Track track, Collection<String> tasks, Collection<Integer> ranks,
            Collection<ConditionKind> conditions) {}

    /**
     * Everything {@code needs} name, each output once: every base model side by side, then every adapter series,
     * then every task vector. Many readers' needs in one call (the generator fits of several experiments) keep both
     * cores busy where one reader's alone would leave one idle.
     */
    public static void prepare(List<Need> needs) {
        Map<StageKey, Track> bases = new LinkedHashMap<>();
        needs.forEach(need -> bases.putIfAbsent(need.track().baseKey(), need.track()));
        Workers.forEach(List.copyOf(bases.values()), Track::baseModel);

        Map<StageKey, Runnable> series = new LinkedHashMap<>();
        Map<List<Object>, Runnable> vectors = new LinkedHashMap<>();
        for (Need need : needs) {
            Track track = need.track();
            Set<ConditionKind> kinds = new LinkedHashSet<>();
            need.conditions().forEach(kind -> kinds.addAll(ingredients(kind)));
            Set<Integer> ranks = new LinkedHashSet<>(need.ranks());
            if (kinds.contains(ConditionKind.FINE_TUNED_STATES)) {
                ranks.add(track.taskVectors().rank());
            }
            for (int rank : ranks) {
                for (String task : need.tasks()) {
                    series.putIfAbsent(track.adaptersKey(task, rank), () -> track.adapters(task, rank));
                }
            }
            for (ConditionKind kind : kinds) {
                for (String task : need.tasks()) {
                    vectors.putIfAbsent(List.of(track, kind, task), () -> track.taskVectors().of(task, kind));
                }
            }
        }
        Workers.forEach(List.copyOf(series.values()), Runnable::run);
        Workers.forEach(List.copyOf(vectors.values()), Runnable::run);
    }

    /** The stored kinds a condition is made of (the concatenated one is made of two). */
    private static List<ConditionKind> ingredients(ConditionKind kind) {
        return kind == ConditionKind.FINE_TUNED_STATES_AND_DESCRIPTION
                ? List.of(ConditionKind.FINE_TUNED_STATES, ConditionKind.DESCRIPTION) : List.of(kind);
    }
}
