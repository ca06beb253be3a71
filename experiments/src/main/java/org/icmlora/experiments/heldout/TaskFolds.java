package org.icmlora.experiments.heldout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * k folds over the held-out tasks of a track, fixed by the order of the list before anything runs: held-out task i
 * is held out in fold {@code i mod k}. In a fold, every other task of the track (the table tasks, the extra tasks and
 * the held-out tasks of the other folds) is a training task. With as many folds as held-out tasks this is
 * leave-one-out; with fewer tasks than k there is one fold per task.
 */
public final class TaskFolds {

    /**
     * One fold.
     *
     * @param index    0-based
     * @param heldOut  the tasks held out in it: no generator of the fold sees their adapters or conditions
     * @param training the tasks the fold's generators are fitted on, in the track's order
     */
    public record Fold(int index, List<String> heldOut, List<String> training) {
        public Fold {
            heldOut = List.copyOf(heldOut);
            training = List.copyOf(training);
        }
    }

    private TaskFolds() {}

    /** The folds holding out {@code heldOut}, a subset of {@code tasks}, in {@code k} folds (at most one per task). */
    public static List<Fold> of(List<String> tasks, List<String> heldOut, int k) {
        if (k < 1 || heldOut.isEmpty()) {
            throw new IllegalArgumentException("folds need k >= 1 and at least one held-out task; got k = " + k
                    + " and " + heldOut);
        }
        if (new HashSet<>(heldOut).size() != heldOut.size()) {
            throw new IllegalArgumentException("a held-out task is listed twice: " + heldOut);
        }
        for (String task : heldOut) {
            if (!tasks.contains(task)) {
                throw new IllegalArgumentException("held-out task '" + task + "' is not a task of the track; its"
                        + " tasks are " + tasks);
            }
        }
        if (heldOut.size() == tasks.size()) {
            throw new IllegalArgumentException("every task is held out (" + heldOut + "): a fold would have no"
                    + " training task");
        }
        int folds = Math.min(k, heldOut.size());
        List<Fold> result = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            List<String> out = new ArrayList<>();
            for (int i = f; i < heldOut.size(); i += folds) {
                out.add(heldOut.get(i));
            }
            List<String> training = tasks.stream().filter(t -> !out.contains(t)).toList();
            result.add(new Fold(f, out, training));
        }
        return List.copyOf(result);
    }
}
