package org.icmlora.experiments;

import java.util.List;
import org.icmlora.experiments.charts.Charts;
import org.icmlora.experiments.pipeline.GeneratorStage;
import org.icmlora.experiments.pipeline.Method;
import org.icmlora.experiments.pipeline.PaperNames;
import org.icmlora.experiments.pipeline.Tracks;
import org.icmlora.experiments.pipeline.TrainedGenerator;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.detection.DetectionTrack;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Table 6: ICM-LoRA conditioned on the vision task vector (Eq. 1 on the fine-tuned detector), the text task vector
 * (MiniLM embedding of "Detect the ... in the picture.") or both concatenated, at rank 2, mAP50 on dog and cat.
 */
public final class ModalityExperiment implements Experiment {

    @Override
    public String id() {
        return "table6";
    }

    @Override
    public String title() {
        return "Table 6: vision vs text task vectors (ICM-LoRA, rank 2, mAP50)";
    }

    @Override
    public ExperimentResult run(RunContext context) {
        DetectionTrack track = Tracks.detection(context);
        int rank = context.config().lora().rank();
        StringColumn vision = StringColumn.create("vision");
        StringColumn text = StringColumn.create("text");
        StringColumn label = StringColumn.create("task vector");
        DoubleColumn dog = DoubleColumn.create("dog");
        DoubleColumn cat = DoubleColumn.create("cat");
        for (ConditionKind condition : List.of(ConditionKind.FINE_TUNED_STATES, ConditionKind.DESCRIPTION,
                ConditionKind.FINE_TUNED_STATES_AND_DESCRIPTION)) {
            try (TrainedGenerator cvae = GeneratorStage.fit(context, track, context.config().cvae(), rank, condition)) {
                vision.append(condition == ConditionKind.DESCRIPTION ? "no" : "yes");
                text.append(condition == ConditionKind.FINE_TUNED_STATES ? "no" : "yes");
                label.append(switch (condition) {
                    case FINE_TUNED_STATES -> "vision";
                    case DESCRIPTION -> "text";
                    default -> "vision + text";
                });
                dog.append(RankAblationExperiment.map50(context, track, Method.ICM_LORA, "dog", rank, cvae));
                cat.append(RankAblationExperiment.map50(context, track, Method.ICM_LORA, "cat", rank, cvae));
            }
        }
        Table measured = Table.create(title() + " (measured)", vision, text, label, dog, cat);
        Table comparison = Comparison.of(title() + ": measured vs paper", measured, PaperTables.table6(),
                List.of("vision", "text"), List.of("dog", "cat"));
        ExperimentResult result = new ExperimentResult(id(), title(), context, measured, comparison);
        Table longForm = Table.create("long", StringColumn.create("task vector"), StringColumn.create("category"),
                DoubleColumn.create("map50"));
        for (int i = 0; i < measured.rowCount(); i++) {
            for (String category : List.of("dog", "cat")) {
                longForm.stringColumn("task vector").append(label.get(i));
                longForm.stringColumn("category").append(category + " (" + PaperNames.taskFor(track, category) + ")");
                longForm.doubleColumn("map50").append(measured.doubleColumn(category).get(i));
            }
        }
        result.withFigure("map50", Charts.groupedBars("mAP50 by task-vector modality (measured)", longForm, "category",
                "task vector", "map50"));
        return result;
    }
}
