package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.List;
import org.icmlora.experiments.pipeline.MethodEvaluation;
import org.icmlora.tracks.Evaluation;

/**
 * The cells a table measures, gathered before any is evaluated: each a row and a task of {@link Measurements} and the
 * evaluation that fills it under one seed. {@link #evaluateInto} then evaluates them all at once (batched and side by
 * side, {@link MethodEvaluation#evaluateAll}) and adds them in the order they were gathered, so the table is the same
 * as when every cell was evaluated in turn.
 */
final class Cells {

    private final List<String> rows = new ArrayList<>();
    private final List<String> tasks = new ArrayList<>();
    private final List<MethodEvaluation.Request> requests = new ArrayList<>();

    /** The cell ({@code row}, {@code task}) of the next seed, filled by {@code request}. */
    void add(String row, String task, MethodEvaluation.Request request) {
        rows.add(row);
        tasks.add(task);
        requests.add(request);
    }

    /** Evaluates every cell and adds it to {@code measured}. */
    void evaluateInto(Measurements measured) {
        List<Evaluation> evaluations = MethodEvaluation.evaluateAll(requests);
        for (int i = 0; i < evaluations.size(); i++) {
            measured.add(rows.get(i), tasks.get(i), evaluations.get(i));
        }
    }
}
