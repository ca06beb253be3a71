package org.icmlora.experiments;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.icmlora.experiments.charts.Montage;
import org.icmlora.experiments.pipeline.Condition;
import org.icmlora.experiments.pipeline.DetectionSuite;
import org.icmlora.experiments.pipeline.GeneratorStage;
import org.icmlora.experiments.pipeline.Method;
import org.icmlora.experiments.pipeline.MethodEvaluation;
import org.icmlora.experiments.pipeline.Suites;
import org.icmlora.experiments.pipeline.TrainedGenerator;
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
        DetectionSuite suite = Suites.detection(context);
        Table measured = Table.create(title() + " (mAP50 of the drawn adapters)", IntColumn.create("rank"),
                StringColumn.create("method"), StringColumn.create("category"), DoubleColumn.create("map50"));
        ExperimentResult result = new ExperimentResult(id(), title(), context, measured, measured);
        if (figure == Figure.FIGURE_4) {
            result.withImage("figure4", figure4(context, suite, measured));
        } else {
            result.withImage("figure5", figure5(context, suite, measured));
        }
        result.withNote("The paper shows pictures only; the mAP50 column is the drawn adapter's score on the whole"
                + " test split of its category.");
        return result;
    }

    private static BufferedImage figure4(RunContext context, DetectionSuite suite, Table measured) {
        List<String> categories = suite.tasks().stream().map(t -> suite.paperName(t) + " (" + t + ")").toList();
        BufferedImage[][] figure4 = new BufferedImage[SHOWN.size()][suite.tasks().size()];
        try (Generators rank2 = new Generators(GeneratorStage.fitAll(context, suite, 2, Condition.HIDDEN_STATE))) {
            for (int m = 0; m < SHOWN.size(); m++) {
                for (int t = 0; t < suite.tasks().size(); t++) {
                    figure4[m][t] = picture(context, suite, SHOWN.get(m), suite.tasks().get(t), 2, rank2, measured);
                }
            }
        }
        return Montage.grid(SHOWN.stream().map(Method::paperName).toList(), categories, figure4);
    }

    private static BufferedImage figure5(RunContext context, DetectionSuite suite, Table measured) {
        String cat = suite.taskFor("cat");
        List<String> rowLabels = new ArrayList<>();
        List<BufferedImage[]> rows = new ArrayList<>();
        for (int rank : StorageExperiment.RANKS) {
            try (Generators generators = new Generators(GeneratorStage.fitAll(context, suite, rank,
                    Condition.HIDDEN_STATE))) {
                BufferedImage[] row = new BufferedImage[SHOWN.size()];
                for (int m = 0; m < SHOWN.size(); m++) {
                    row[m] = picture(context, suite, SHOWN.get(m), cat, rank, generators, measured);
                }
                rows.add(row);
                rowLabels.add("rank " + rank);
            }
        }
        return Montage.grid(rowLabels, SHOWN.stream().map(Method::paperName).toList(),
                rows.toArray(BufferedImage[][]::new));
    }

    private static BufferedImage picture(RunContext context, DetectionSuite suite, Method method, String task,
            int rank, Generators generators, Table measured) {
        float[] adapter = MethodEvaluation.adapter(context, suite, method, task, rank, generators.of(method));
        DetectionEvaluation evaluation = suite.detection().evaluate(suite.category(task),
                adapter == null ? null : suite.layout(rank), adapter);
        DetectionEvaluation.ImageResult shown = evaluation.images().stream()
                .filter(image -> !image.sample().groundTruth().isEmpty()).findFirst()
                .orElse(evaluation.images().get(0));
        measured.intColumn("rank").append(rank);
        measured.stringColumn("method").append(method.paperName());
        measured.stringColumn("category").append(suite.paperName(task) + " (" + task + ")");
        measured.doubleColumn("map50").append(evaluation.map50());
        return DetectionTrack.drawDetections(shown, method.paperName());
    }

    /** The generators of one rank, closed together. */
    private record Generators(Map<Method, TrainedGenerator> byMethod) implements AutoCloseable {
        TrainedGenerator of(Method method) {
            return byMethod.get(method);
        }

        @Override
        public void close() {
            byMethod.values().forEach(TrainedGenerator::close);
        }
    }
}
