package org.icmlora.experiments;

import java.util.List;
import org.icmlora.experiments.charts.Charts;
import org.icmlora.experiments.pipeline.Condition;
import org.icmlora.experiments.pipeline.DetectionSuite;
import org.icmlora.experiments.pipeline.GeneratorRecipe;
import org.icmlora.experiments.pipeline.GeneratorStage;
import org.icmlora.experiments.pipeline.Method;
import org.icmlora.experiments.pipeline.Suites;
import org.icmlora.experiments.pipeline.TrainedGenerator;
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
        DetectionSuite suite = Suites.detection(context);
        StringColumn vision = StringColumn.create("vision");
        StringColumn text = StringColumn.create("text");
        StringColumn label = StringColumn.create("task vector");
        DoubleColumn dog = DoubleColumn.create("dog");
        DoubleColumn cat = DoubleColumn.create("cat");
        for (Condition condition : List.of(Condition.HIDDEN_STATE, Condition.TEXT, Condition.BOTH)) {
            try (TrainedGenerator cvae = GeneratorStage.fit(context, suite,
                    GeneratorRecipe.forMethod(Method.ICM_LORA, context.profile(), context.seed()),
                    MethodTableExperiment.RANK, condition)) {
                vision.append(condition == Condition.TEXT ? "no" : "yes");
                text.append(condition == Condition.HIDDEN_STATE ? "no" : "yes");
                label.append(switch (condition) {
                    case HIDDEN_STATE -> "vision";
                    case TEXT -> "text";
                    case BOTH -> "vision + text";
                });
                dog.append(RankAblationExperiment.map50(context, suite, Method.ICM_LORA, "dog",
                        MethodTableExperiment.RANK, cvae));
                cat.append(RankAblationExperiment.map50(context, suite, Method.ICM_LORA, "cat",
                        MethodTableExperiment.RANK, cvae));
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
                longForm.stringColumn("category").append(category + " (" + suite.taskFor(category) + ")");
                longForm.doubleColumn("map50").append(measured.doubleColumn(category).get(i));
            }
        }
        result.withFigure("map50", Charts.groupedBars("mAP50 by task-vector modality (measured)", longForm, "category",
                "task vector", "map50"));
        return result;
    }
}
