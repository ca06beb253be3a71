package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.List;
import org.icmlora.engine.Profile;
import org.icmlora.experiments.charts.Charts;
import org.icmlora.experiments.pipeline.Condition;
import org.icmlora.experiments.pipeline.DetectionSuite;
import org.icmlora.experiments.pipeline.GeneratorRecipe;
import org.icmlora.experiments.pipeline.GeneratorStage;
import org.icmlora.experiments.pipeline.Method;
import org.icmlora.experiments.pipeline.Suites;
import org.icmlora.experiments.pipeline.TrainedGenerator;
import org.icmlora.generate.cvae.CvaeConfig;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Table 5: the number of convolution layers n of ICM-LoRA's CVAE encoder and decoder (10, 11, 12, 13, 14, 20) against
 * the LoRA rank, scored as mAP50 on the paper's cat task. Every cell is a CVAE fitted on all five categories' adapters
 * at that rank with that depth; everything else is the profile's CVAE configuration, except that below the FULL
 * profile the 24 fits train for a quarter of the profile's CVAE epochs ({@link #sweepConfig}): at QUICK the sweep
 * otherwise takes about 17 minutes of the 2-core budget on its own.
 */
public final class ConvDepthExperiment implements Experiment {

    static final List<Integer> DEPTHS = List.of(10, 11, 12, 13, 14, 20);

    /** The profile's CVAE, seeded by the run; a quarter of its epochs below FULL (24 fits). */
    static CvaeConfig sweepConfig(RunContext context) {
        CvaeConfig config = CvaeConfig.forProfile(context.profile()).withSeed(context.seed());
        return context.profile() == Profile.FULL ? config : config.withEpochs(Math.max(1, config.epochs() / 4));
    }

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
        DetectionSuite suite = Suites.detection(context);
        String cat = suite.taskFor("cat");
        IntColumn depths = IntColumn.create("conv_layers");
        List<DoubleColumn> byRank = new ArrayList<>();
        StorageExperiment.RANKS.forEach(r -> byRank.add(DoubleColumn.create("r" + r)));
        double[][] heat = new double[DEPTHS.size()][StorageExperiment.RANKS.size()];
        for (int d = 0; d < DEPTHS.size(); d++) {
            depths.append(DEPTHS.get(d));
            for (int r = 0; r < StorageExperiment.RANKS.size(); r++) {
                int rank = StorageExperiment.RANKS.get(r);
                CvaeConfig config = sweepConfig(context).withDepth(DEPTHS.get(d));
                try (TrainedGenerator cvae = GeneratorStage.fit(context, suite, GeneratorRecipe.icmLora(config), rank,
                        Condition.HIDDEN_STATE)) {
                    heat[d][r] = org.icmlora.experiments.pipeline.MethodEvaluation.metrics(context, suite,
                            Method.ICM_LORA, cat, rank, cvae).get("map50");
                }
                byRank.get(r).append(heat[d][r]);
            }
        }
        Table measured = Table.create(title() + " (measured)", depths);
        byRank.forEach(measured::addColumns);
        Table comparison = Comparison.of(title() + ": measured vs paper", measured, PaperTables.table5(),
                List.of("conv_layers"), StorageExperiment.RANKS.stream().map(r -> "r" + r).toList());
        ExperimentResult result = new ExperimentResult(id(), title(), context, measured, comparison);
        result.withNote("Each cell is a CVAE trained " + sweepConfig(context).epochs() + " epochs ("
                + context.profile().id() + " profile); the kit's adapters are short, so layers beyond what halving"
                + " the length needs keep the length (stride 1) instead of padding the input.");
        result.withFigure("heatmap", Charts.heatmap("mAP50 on cat (" + cat + "), measured",
                DEPTHS.stream().map(n -> "n = " + n).toList(),
                StorageExperiment.RANKS.stream().map(r -> "r = " + r).toList(), heat, "conv layers", "LoRA rank"));
        return result;
    }
}
