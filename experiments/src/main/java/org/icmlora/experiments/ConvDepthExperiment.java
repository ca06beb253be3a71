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
import org.icmlora.stats.Bootstrap;
import org.icmlora.stats.Interval;
import org.icmlora.stats.Readings;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.detection.DetectionTrack;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Table 5: the number of convolution layers n of ICM-LoRA's CVAE encoder and decoder (the paper's 10, 11, 12, 13, 14,
 * 20; {@code table5.depths}) against the LoRA rank ({@code lora.ranks}), scored as mAP50 on the paper's cat task and,
 * beside it, on the unseen sofa and motorbike. Every cell is a CVAE fitted on all five categories' adapters at that
 * rank with that depth, under each seed of the run (mean ± sd); everything else is the run's CVAE configuration,
 * trained for {@code table5.cvaeEpochs} epochs (below the full profile a quarter of {@code cvae.epochs}).
 */
public final class ConvDepthExperiment implements Experiment {

    private static final List<String> CATEGORIES = List.of("cat", "sofa", "motorbike");

    @Override
    public String id() {
        return "table5";
    }

    @Override
    public String title() {
        return "Table 5: CVAE convolution depth vs LoRA rank, mAP50 on cat (and the unseen sofa, motorbike)";
    }

    /** Every seed's CVAE of each depth at each rank, in that order. */
    @Override
    public List<GeneratorStage.Request> fits(RunContext context) {
        CvaeConfig sweep = context.config().cvae().withEpochs(context.config().table5().cvaeEpochs());
        List<GeneratorStage.Request> fits = new ArrayList<>();
        for (RunContext seed : context.perSeed()) {
            for (int depth : context.config().table5().depths()) {
                for (int rank : context.config().lora().ranks()) {
                    fits.add(new GeneratorStage.Request(seed, Tracks.detection(seed), sweep.withDepth(depth), rank,
                            ConditionKind.FINE_TUNED_STATES));
                }
            }
        }
        return fits;
    }

    @Override
    public ExperimentResult run(RunContext context) {
        List<Integer> depths = context.config().table5().depths();
        List<Integer> ranks = context.config().lora().ranks();
        List<RunContext> seeds = context.perSeed();
        DetectionTrack track = Tracks.detection(context);
        Measurements measured = new Measurements(track);
        TrainingDiagnostics diagnostics = new TrainingDiagnostics(title(), false);
        List<TrainedGenerator> cvaes = GeneratorStage.fitAll(fits(context));
        try {
            Cells cells = new Cells();
            int next = 0;
            for (RunContext seed : seeds) {
                DetectionTrack seedTrack = Tracks.detection(seed);
                for (int depth : depths) {
                    for (int rank : ranks) {
                        TrainedGenerator cvae = cvaes.get(next++);
                        diagnostics.addGenerator(seed.seed(), rank, Method.ICM_LORA.paperName() + " depth " + depth,
                                cvae);
                        for (String category : CATEGORIES) {
                            String task = PaperNames.taskFor(seedTrack, category);
                            cells.add(row(depth, rank), task, MethodEvaluation.Request.of(seed, seedTrack,
                                    Method.ICM_LORA, task, rank, cvae));
                        }
                    }
                }
            }
            cells.evaluateInto(measured);
        } finally {
            cvaes.forEach(TrainedGenerator::close);
        }
        Table table = grid(measured, track, "cat", depths, ranks);
        Table comparison = Comparison.of(title() + ": measured vs paper", table, PaperTables.table5(),
                List.of("conv_layers"), ranks.stream().map(r -> "r" + r).toList());
        ExperimentResult result = new ExperimentResult(id(), title(), context, table, comparison);
        diagnostics.addTo(result);
        for (String category : CATEGORIES.subList(1, CATEGORIES.size())) {
            result.withTable(category, grid(measured, track, category, depths, ranks));
        }
        for (String category : CATEGORIES) {
            Table grid = category.equals("cat") ? table : result.tables().get(category);
            double[][] heat = new double[depths.size()][ranks.size()];
            for (int d = 0; d < depths.size(); d++) {
                for (int r = 0; r < ranks.size(); r++) {
                    heat[d][r] = grid.doubleColumn("r" + ranks.get(r)).get(d);
                }
            }
            result.withFigure(category, Charts.heatmap("mAP50 on " + PaperNames.label(track, PaperNames.taskFor(track,
                    category)) + ", mean over seeds", depths.stream().map(n -> "n = " + n).toList(),
                    ranks.stream().map(r -> "r = " + r).toList(), heat, "conv layers", "LoRA rank"));
        }
        readings(context.bootstrap(), measured, depths, ranks).forEach(result::withNote);
        result.withNote("Each cell is a CVAE trained " + context.config().table5().cvaeEpochs() + " epochs (" + context.profile().id()
                + " profile); the kit's adapters are short, so layers beyond what halving the length needs keep the"
                + " length (stride 1) instead of padding the input.");
        return result;
    }

    /** Depth rows by rank columns of the mean mAP50 on {@code category}, with the sd of each cell beside it. */
    private static Table grid(Measurements measured, DetectionTrack track, String category, List<Integer> depths,
            List<Integer> ranks) {
        String task = PaperNames.taskFor(track, category);
        IntColumn depthColumn = IntColumn.create("conv_layers");
        List<DoubleColumn> columns = new ArrayList<>();
        for (int rank : ranks) {
            columns.add(DoubleColumn.create("r" + rank));
            columns.add(DoubleColumn.create("r" + rank + " sd"));
        }
        for (int depth : depths) {
            depthColumn.append(depth);
            for (int r = 0; r < ranks.size(); r++) {
                var summary = measured.summary(row(depth, ranks.get(r)), task, "map50");
                columns.get(2 * r).append(summary.mean());
                columns.get(2 * r + 1).append(summary.sd());
            }
        }
        Table table = Table.create("Table 5: mAP50 on " + PaperNames.label(track, task) + " (mean over seeds)",
                depthColumn);
        columns.forEach(table::addColumns);
        return table;
    }

    /** Per rank: the best depth, and how the paper's choice (12) differs from it, over the three categories. */
    private static List<String> readings(Bootstrap bootstrap, Measurements measured, List<Integer> depths,
            List<Integer> ranks) {
        List<String> notes = new ArrayList<>();
        for (int rank : ranks) {
            int best = depths.get(0);
            double bestMean = Double.NEGATIVE_INFINITY;
            for (int depth : depths) {
                double mean = measured.tasks(row(depth, rank)).stream()
                        .mapToDouble(t -> measured.summary(row(depth, rank), t, "map50").mean()).average().orElseThrow();
                if (mean > bestMean) {
                    bestMean = mean;
                    best = depth;
                }
            }
            int reference = depths.contains(12) ? 12 : depths.get(0);
            if (best == reference) {
                notes.add("Rank " + rank + ": depth " + best + " has the highest mean mAP50 over cat, sofa and"
                        + " motorbike.");
                continue;
            }
            Interval d = measured.meanDifference(row(best, rank), row(reference, rank), "map50", bootstrap);
            notes.add("Rank " + rank + ": " + Readings.difference("depth " + best + " (highest mean)", "depth "
                    + reference, "map50 (mean over cat, sofa, motorbike)", d, true, 3) + " The best depth is picked on"
                    + " these same scores, so this difference is biased upward.");
        }
        return notes;
    }

    private static String row(int depth, int rank) {
        return depth + "|" + rank;
    }
}
