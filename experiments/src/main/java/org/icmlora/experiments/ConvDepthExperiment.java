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
import org.icmlora.generate.core.CvaeConfig;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.detection.DetectionTrack;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Table 5: the number of convolution layers n of ICM-LoRA's CVAE encoder and decoder (the paper's 10, 11, 12, 13, 14,
 * 20; {@code table5.depths}) against the LoRA rank ({@code lora.ranks}), scored as mAP50 on the paper's cat task.
 * Every cell is a CVAE fitted on all five categories' adapters at that rank with that depth; everything else is the
 * run's CVAE configuration, trained for {@code table5.cvaeEpochs} epochs (below the full profile a quarter of
 * {@code cvae.epochs}: at quick the 24 fits otherwise take about 17 minutes of the 2-core budget on their own).
 */
public final class ConvDepthExperiment implements Experiment {

    @Override
    public String id() {
        return "table5";
    }

    @Override
    public String title() {
        return "Table 5: CVAE convolution depth vs LoRA rank, mAP50 on cat";
    }

    @Override
    public ExperimentResult run(RunContext context) {
        DetectionTrack track = Tracks.detection(context);
        String cat = PaperNames.taskFor(track, "cat");
        List<Integer> depthList = context.config().table5().depths();
        List<Integer> ranks = context.config().lora().ranks();
        CvaeConfig sweep = context.config().cvae().withEpochs(context.config().table5().cvaeEpochs());
        IntColumn depths = IntColumn.create("conv_layers");
        List<DoubleColumn> byRank = new ArrayList<>();
        ranks.forEach(r -> byRank.add(DoubleColumn.create("r" + r)));
        double[][] heat = new double[depthList.size()][ranks.size()];
        for (int d = 0; d < depthList.size(); d++) {
            depths.append(depthList.get(d));
            for (int r = 0; r < ranks.size(); r++) {
                int rank = ranks.get(r);
                try (TrainedGenerator cvae = GeneratorStage.fit(context, track, sweep.withDepth(depthList.get(d)), rank,
                        ConditionKind.FINE_TUNED_STATES)) {
                    heat[d][r] = MethodEvaluation.evaluate(context, track, Method.ICM_LORA, cat, rank, cvae).metrics()
                            .get("map50");
                }
                byRank.get(r).append(heat[d][r]);
            }
        }
        Table measured = Table.create(title() + " (measured)", depths);
        byRank.forEach(measured::addColumns);
        Table comparison = Comparison.of(title() + ": measured vs paper", measured, PaperTables.table5(),
                List.of("conv_layers"), ranks.stream().map(r -> "r" + r).toList());
        ExperimentResult result = new ExperimentResult(id(), title(), context, measured, comparison);
        result.withNote("Each cell is a CVAE trained " + sweep.epochs() + " epochs (" + context.profile().id()
                + " profile); the kit's adapters are short, so layers beyond what halving the length needs keep the"
                + " length (stride 1) instead of padding the input.");
        result.withFigure("heatmap", Charts.heatmap("mAP50 on cat (" + cat + "), measured",
                depthList.stream().map(n -> "n = " + n).toList(), ranks.stream().map(r -> "r = " + r).toList(), heat,
                "conv layers", "LoRA rank"));
        return result;
    }
}
