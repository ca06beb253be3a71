package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.icmlora.experiments.pipeline.MethodEvaluation;
import org.icmlora.tracks.Evaluation;

/**
 * The cells a table measures, gathered before any is evaluated: each a row and a task of {@link Measurements} and the
 * evaluation that fills it under one seed. {@link #evaluateInto} then evaluates them all at once (batched and side by
 * side, {@link MethodEvaluation#evaluateAll}) and adds them in the order they were gathered, so the table is the same
 * as when every cell was evaluated in turn. Evaluations that are no cell of the table (the controls' latent draws)
 * ride along in the same batches and go to their own consumer.
 */
final class Cells {

    private final List<MethodEvaluation.Request> requests = new ArrayList<>();
    private final List<BiConsumer<Measurements, Evaluation>> sinks = new ArrayList<>();

    /** The cell ({@code row}, {@code task}) of the next seed, filled by {@code request}. */
    void add(String row, String task, MethodEvaluation.Request request) {
        requests.add(request);
        sinks.add((measured, evaluation) -> measured.add(row, task, evaluation));
    }

    /** An evaluation that is no cell: {@code use} receives it. */
    void add(MethodEvaluation.Request request, Consumer<Evaluation> use) {
        requests.add(request);
        sinks.add((measured, evaluation) -> use.accept(evaluation));
    }

    /** Evaluates everything gathered, adds the cells to {@code measured} and hands the others to their consumers. */
    void evaluateInto(Measurements measured) {
        List<Evaluation> evaluations = MethodEvaluation.evaluateAll(requests);
        for (int i = 0; i < evaluations.size(); i++) {
            sinks.get(i).accept(measured, evaluations.get(i));
        }
    }
}
