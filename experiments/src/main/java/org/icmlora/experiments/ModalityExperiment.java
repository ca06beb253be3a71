package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.List;
import org.icmlora.experiments.charts.Charts;
import org.icmlora.experiments.pipeline.GeneratorStage;
import org.icmlora.experiments.pipeline.Method;
import org.icmlora.experiments.pipeline.MethodEvaluation;
import org.icmlora.experiments.pipeline.PaperNames;
import org.icmlora.experiments.pipeline.Tracks;
import org.icmlora.experiments.pipeline.TrainedGenerator;
import org.icmlora.stats.Bootstrap;
import org.icmlora.stats.Interval;
import org.icmlora.stats.Readings;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.detection.DetectionTrack;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Table 6: ICM-LoRA conditioned on the vision task vector (Eq. 1 on the fine-tuned detector), the text task vector
 * (MiniLM embedding of the category's description "Detect the ... in the picture.") or both concatenated, at the
 * run's rank, mAP50 on dog and cat and on the unseen sofa and motorbike. Mean ± sd over the run's seeds; the text and
 * both conditions' differences from vision with their intervals.
 */
public final class ModalityExperiment implements Experiment {

    private static final List<ConditionKind> CONDITIONS = List.of(ConditionKind.FINE_TUNED_STATES,
            ConditionKind.DESCRIPTION, ConditionKind.FINE_TUNED_STATES_AND_DESCRIPTION);

    @Override
    public String id() {
        return "table6";
    }

    @Override
    public String title() {
        return "Table 6: vision vs text task vectors (ICM-LoRA, mAP50)";
    }

    /** Every seed's CVAE under each kind of condition, in that order. */
    @Override
    public List<GeneratorStage.Request> fits(RunContext context) {
        List<GeneratorStage.Request> fits = new ArrayList<>();
        for (RunContext seed : context.perSeed()) {
            for (ConditionKind condition : CONDITIONS) {
                fits.add(new GeneratorStage.Request(seed, Tracks.detection(seed), seed.config().cvae(),
                        context.config().lora().rank(), condition));
            }
        }
        return fits;
    }

    @Override
    public ExperimentResult run(RunContext context) {
        int rank = context.config().lora().rank();
        List<RunContext> seeds = context.perSeed();
        DetectionTrack track = Tracks.detection(context);
        Measurements measured = new Measurements(track);
        List<TrainedGenerator> cvaes = GeneratorStage.fitAll(fits(context));
        try {
            Cells cells = new Cells();
            int next = 0;
            for (RunContext seed : seeds) {
                DetectionTrack seedTrack = Tracks.detection(seed);
                for (ConditionKind condition : CONDITIONS) {
                    TrainedGenerator cvae = cvaes.get(next++);
                    for (String category : RankAblationExperiment.CATEGORIES) {
                        String task = PaperNames.taskFor(seedTrack, category);
                        cells.add(label(condition), task, MethodEvaluation.Request.of(seed, seedTrack,
                                Method.ICM_LORA, task, rank, cvae));
                    }
                }
            }
            cells.evaluateInto(measured);
        } finally {
            cvaes.forEach(TrainedGenerator::close);
        }
        Table table = measured.wide(title() + " (measured mAP50, mean over seeds)", "map50",
                List.of("task vector"), row -> List.of(row));
        StringColumn vision = StringColumn.create("vision");
        StringColumn text = StringColumn.create("text");
        table.stringColumn("task vector").forEach(label -> {
            vision.append(label.contains("vision") ? "yes" : "no");
            text.append(label.contains("text") ? "yes" : "no");
        });
        table.insertColumn(0, text);
        table.insertColumn(0, vision);
        Table comparison = Comparison.of(title() + ": measured vs paper", table, PaperTables.table6(),
                List.of("vision", "text"), List.of("dog", "cat"));
        ExperimentResult result = new ExperimentResult(id(), title(), context, table, comparison);
        Bootstrap bootstrap = context.bootstrap();
        String vision0 = label(ConditionKind.FINE_TUNED_STATES);
        List<String> others = List.of(label(ConditionKind.DESCRIPTION),
                label(ConditionKind.FINE_TUNED_STATES_AND_DESCRIPTION));
        result.withTable("differences", measured.differences("differences from the vision task vector", others,
                vision0, bootstrap));
        Table longForm = measured.table("long", "task vector", "category");
        result.withFigure("map50", Charts.groupedBarsWithErrors("mAP50 by task-vector modality (mean ± sd over seeds)",
                longForm, "category", "task vector", "map50", "map50 sd"));
        Table paper = PaperTables.table6();
        List<String> paperCategories = List.of(PaperNames.taskFor(track, "dog"), PaperNames.taskFor(track, "cat"));
        for (String other : others) {
            Interval all = measured.meanDifference(other, vision0, "map50", bootstrap);
            Interval paperOnes = measured.meanDifference(other, vision0, paperCategories, "map50", bootstrap);
            double paperDifference = paperMean(paper, other) - paperMean(paper, vision0);
            result.withNote(Readings.difference("ICM-LoRA with the " + other + " task vector", "with the vision one",
                    "map50 (mean over dog, cat, sofa, motorbike)", all, true, 3) + " On dog and cat: "
                    + paperOnes.format(3) + ", " + Readings.againstPaper(paperOnes, paperDifference, 3) + ".");
        }
        return result;
    }

    /** The paper's mean mAP50 over dog and cat for the row of {@code label}. */
    private static double paperMean(Table paper, String label) {
        Table row = paper.where(paper.stringColumn("vision").isEqualTo(label.contains("vision") ? "yes" : "no")
                .and(paper.stringColumn("text").isEqualTo(label.contains("text") ? "yes" : "no")));
        return (row.doubleColumn("dog").get(0) + row.doubleColumn("cat").get(0)) / 2;
    }

    private static String label(ConditionKind condition) {
        return switch (condition) {
            case FINE_TUNED_STATES -> "vision";
            case DESCRIPTION -> "text";
            default -> "vision + text";
        };
    }
}
