package org.icmlora.experiments;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.icmlora.experiments.charts.Montage;
import org.icmlora.experiments.pipeline.GeneratorStage;
import org.icmlora.experiments.pipeline.Method;
import org.icmlora.experiments.pipeline.MethodEvaluation;
import org.icmlora.experiments.pipeline.PaperNames;
import org.icmlora.experiments.pipeline.Tracks;
import org.icmlora.experiments.pipeline.TrainedGenerator;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.Evaluation;
import org.icmlora.tracks.Task;
import org.icmlora.tracks.detection.DetectionEvaluation;
import org.icmlora.tracks.detection.DetectionTrack;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Figures 4 and 5: the same test scene detected with each method's adapter. Figure 4: every category at rank 2,
 * one row per method. Figure 5: the paper's cat task at ranks 1, 2, 4, 8, one row per rank, one column per method.
 * Ground truth is drawn in green, detections (score >= 0.3) with their scores. The table lists the mAP50 of each
 * drawn adapter on the whole test split, so a picture can be read against the numbers.
 */
public final class DetectionPicturesExperiment implements Experiment {

    /** Which of the two figures. */
    public enum Figure { FIGURE_4, FIGURE_5 }

    private static final List<Method> SHOWN = List.of(Method.ORIGINAL_LORA, Method.ORIGINAL_MODEL, Method.MODEL_SOUP,
            Method.COND_P_DIFF, Method.ICM_LORA);

    private final Figure figure;

    public DetectionPicturesExperiment(Figure figure) {
        this.figure = figure;
    }

    @Override
    public String id() {
        return figure == Figure.FIGURE_4 ? "figure4" : "figure5";
    }

    @Override
    public String title() {
        return figure == Figure.FIGURE_4 ? "Figure 4: detections of each method's adapter on every category (rank 2)"
                : "Figure 5: detections on cat of each method's adapter at ranks 1, 2, 4, 8";
    }

    @Override
    public ExperimentResult run(RunContext context) {
        DetectionTrack track = Tracks.detection(context);
        Table measured = Table.create(title() + " (mAP50 of the drawn adapters)", IntColumn.create("rank"),
                StringColumn.create("method"), StringColumn.create("category"), DoubleColumn.create("map50"));
        ExperimentResult result = new ExperimentResult(id(), title(), context, measured, measured);
        if (figure == Figure.FIGURE_4) {
            result.withImage("figure4", figure4(context, track, measured));
        } else {
            result.withImage("figure5", figure5(context, track, measured));
        }
        result.withNote("The paper shows pictures only; the mAP50 column is the drawn adapter's score on the whole"
                + " test split of its category.");
        return result;
    }

    private static BufferedImage figure4(RunContext context, DetectionTrack track, Table measured) {
        int rank = context.config().lora().rank();
        List<Task> tasks = track.tasks();
        BufferedImage[][] figure4 = new BufferedImage[SHOWN.size()][tasks.size()];
        try (FittedGenerators generators = new FittedGenerators(GeneratorStage.fitAll(context, track, rank,
                ConditionKind.FINE_TUNED_STATES))) {
            List<MethodEvaluation.Request> shown = new ArrayList<>();
            for (Method method : SHOWN) {
                for (Task task : tasks) {
                    shown.add(MethodEvaluation.Request.of(context, track, method, task.id(), rank,
                            generators.of(method)));
                }
            }
            List<Evaluation> evaluations = MethodEvaluation.evaluateAll(shown);
            for (int m = 0; m < SHOWN.size(); m++) {
                for (int t = 0; t < tasks.size(); t++) {
                    figure4[m][t] = picture(track, SHOWN.get(m), tasks.get(t).id(), rank,
                            evaluations.get(m * tasks.size() + t), measured);
                }
            }
        }
        return Montage.grid(SHOWN.stream().map(Method::paperName).toList(),
                tasks.stream().map(t -> PaperNames.label(track, t.id())).toList(), figure4);
    }

    /** Figure 4: the generating methods at the run's rank; Figure 5: at each rank, rank by rank. */
    @Override
    public List<GeneratorStage.Request> fits(RunContext context) {
        List<Integer> ranks = figure == Figure.FIGURE_4 ? List.of(context.config().lora().rank())
                : context.config().lora().ranks();
        List<GeneratorStage.Request> fits = new ArrayList<>();
        for (int rank : ranks) {
            fits.addAll(GeneratorStage.requests(List.of(context), "detection", rank, ConditionKind.FINE_TUNED_STATES));
        }
        return fits;
    }

    private BufferedImage figure5(RunContext context, DetectionTrack track, Table measured) {
        String cat = PaperNames.taskFor(track, "cat");
        List<Integer> ranks = context.config().lora().ranks();
        List<TrainedGenerator> fitted = GeneratorStage.fitAll(fits(context));
        try {
            List<MethodEvaluation.Request> shown = new ArrayList<>();
            for (int r = 0; r < ranks.size(); r++) {
                for (Method method : SHOWN) {
                    TrainedGenerator generator = method.isGenerator()
                            ? fitted.get(r * Method.generators().size() + Method.generators().indexOf(method)) : null;
                    shown.add(MethodEvaluation.Request.of(context, track, method, cat, ranks.get(r), generator));
                }
            }
            List<Evaluation> evaluations = MethodEvaluation.evaluateAll(shown);
            BufferedImage[][] rows = new BufferedImage[ranks.size()][SHOWN.size()];
            for (int r = 0; r < ranks.size(); r++) {
                for (int m = 0; m < SHOWN.size(); m++) {
                    rows[r][m] = picture(track, SHOWN.get(m), cat, ranks.get(r),
                            evaluations.get(r * SHOWN.size() + m), measured);
                }
            }
            return Montage.grid(ranks.stream().map(rank -> "rank " + rank).toList(),
                    SHOWN.stream().map(Method::paperName).toList(), rows);
        } finally {
            fitted.forEach(TrainedGenerator::close);
        }
    }

    private static BufferedImage picture(DetectionTrack track, Method method, String task, int rank,
            Evaluation scored, Table measured) {
        DetectionEvaluation evaluation = (DetectionEvaluation) scored;
        DetectionEvaluation.Image shown = evaluation.images().stream().filter(image -> !image.groundTruth().isEmpty())
                .findFirst().orElse(evaluation.images().get(0));
        measured.intColumn("rank").append(rank);
        measured.stringColumn("method").append(method.paperName());
        measured.stringColumn("category").append(PaperNames.label(track, task));
        measured.doubleColumn("map50").append(evaluation.metrics().get("map50"));
        return track.draw(evaluation, shown, method.paperName());
    }

    /** The generators of one rank, closed together. */
    private record FittedGenerators(Map<Method, TrainedGenerator> byMethod) implements AutoCloseable {
        TrainedGenerator of(Method method) {
            return byMethod.get(method);
        }

        @Override
        public void close() {
            byMethod.values().forEach(TrainedGenerator::close);
        }
    }
}
