package org.icmlora.experiments;

import java.util.List;

/** Every experiment of the kit: the paper's in its order, then the extensions the paper does not report. */
public final class Experiments {

    private Experiments() {}

    /** All experiments, in the order the reproduce command runs them. */
    public static List<Experiment> all() {
        return List.of(
                new TaskVectorMapExperiment(),
                new MethodTableExperiment("table1", "Table 1: object detection with LoRA rank 2 (mAP50, mAP75)",
                        "detection", PaperTables::table1, "category"),
                new MethodTableExperiment("table2", "Table 2: language modelling with LoRA rank 2 (PPL, BPC)",
                        "language", PaperTables::table2, "domain"),
                new StorageExperiment(),
                new RankAblationExperiment(),
                new ConvDepthExperiment(),
                new ModalityExperiment(),
                new DetectionPicturesExperiment(DetectionPicturesExperiment.Figure.FIGURE_4),
                new DetectionPicturesExperiment(DetectionPicturesExperiment.Figure.FIGURE_5),
                new ControlsExperiment(),
                new HeldOutExperiment());
    }

    /** The experiment with this id, or an error that lists the valid ids. */
    public static Experiment byId(String id) {
        return all().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no experiment '" + id + "'; choose from "
                        + all().stream().map(Experiment::id).toList() + " or all"));
    }
}
