package org.icmlora.experiments;

import java.util.List;
import java.util.Map;
import org.icmlora.experiments.charts.Charts;
import org.icmlora.experiments.pipeline.GeneratorStage;
import org.icmlora.experiments.pipeline.Method;
import org.icmlora.experiments.pipeline.MethodEvaluation;
import org.icmlora.experiments.pipeline.PaperNames;
import org.icmlora.experiments.pipeline.Tracks;
import org.icmlora.experiments.pipeline.TrainedGenerator;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.Track;
import org.icmlora.tracks.detection.DetectionTrack;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Table 4: LoRA rank r = 1, 2, 4, 8 (and so the adapter length P) against the three generators' mAP50 on the
 * paper's dog and cat tasks (the kit's first and third detection categories). Each rank has its own adapter series
 * and generators, fitted on all five categories.
 */
public final class RankAblationExperiment implements Experiment {

    @Override
    public String id() {
        return "table4";
    }

    @Override
    public String title() {
        return "Table 4: LoRA rank and parameter count vs mAP50 (dog, cat)";
    }

    @Override
    public ExperimentResult run(RunContext context) {
        DetectionTrack track = Tracks.detection(context);
        IntColumn ranks = IntColumn.create("rank");
        IntColumn params = IntColumn.create("lora_params");
        StringColumn methods = StringColumn.create("method");
        DoubleColumn dog = DoubleColumn.create("dog");
        DoubleColumn cat = DoubleColumn.create("cat");
        for (int rank : context.config().lora().ranks()) {
            Map<Method, TrainedGenerator> generators = GeneratorStage.fitAll(context, track, rank,
                    ConditionKind.FINE_TUNED_STATES);
            try {
                for (Method method : Method.generators()) {
                    ranks.append(rank);
                    params.append(track.layout(rank).size());
                    methods.append(method.paperName());
                    dog.append(map50(context, track, method, "dog", rank, generators.get(method)));
                    cat.append(map50(context, track, method, "cat", rank, generators.get(method)));
                }
            } finally {
                generators.values().forEach(TrainedGenerator::close);
            }
        }
        Table measured = Table.create(title() + " (measured)", ranks, params, methods, dog, cat);
        Table comparison = Comparison.of(title() + ": measured vs paper", measured, PaperTables.table4(),
                List.of("rank", "method"), List.of("lora_params", "dog", "cat"));
        ExperimentResult result = new ExperimentResult(id(), title(), context, measured, comparison);
        Table byRank = measured.copy();
        byRank.replaceColumn("rank", byRank.intColumn("rank").asStringColumn().setName("rank"));
        result.withFigure("dog", Charts.groupedBars("mAP50 on dog (" + PaperNames.taskFor(track, "dog") + ") by rank",
                byRank, "rank", "method", "dog"));
        result.withFigure("cat", Charts.groupedBars("mAP50 on cat (" + PaperNames.taskFor(track, "cat") + ") by rank",
                byRank, "rank", "method", "cat"));
        result.withNote("P (lora_params) is the kit's detector's adapter length; the paper's Florence-2 adapters are"
                + " about " + Math.round(482482.0 / track.layout(2).size()) + " times longer at rank 2.");
        return result;
    }

    static double map50(RunContext context, Track track, Method method, String paperCategory, int rank,
            TrainedGenerator generator) {
        return MethodEvaluation.evaluate(context, track, method, PaperNames.taskFor(track, paperCategory), rank,
                generator).metrics().get("map50");
    }
}
