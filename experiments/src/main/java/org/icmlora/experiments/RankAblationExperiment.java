package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * Table 4: LoRA rank r (and so the adapter length P) against the three generators' mAP50 on the paper's dog and cat
 * and, beside them, on the two categories the base model never saw (sofa, motorbike), where an adapter changes the
 * score most. Each rank has its own adapter series and generators, fitted on all five categories; Original LoRA (the
 * fine-tuned adapters) is the reference row of each rank. Mean ± sd over the run's seeds; intervals in differences.csv.
 */
public final class RankAblationExperiment implements Experiment {

    /** The paper's two categories and the two the base model never saw. */
    static final List<String> CATEGORIES = List.of("dog", "cat", "sofa", "motorbike");

    @Override
    public String id() {
        return "table4";
    }

    @Override
    public String title() {
        return "Table 4: LoRA rank and parameter count vs mAP50 (dog, cat; and the unseen sofa, motorbike)";
    }

    /** Every seed's generating methods at each rank, in that order. */
    @Override
    public List<GeneratorStage.Request> fits(RunContext context) {
        List<GeneratorStage.Request> fits = new ArrayList<>();
        for (RunContext seed : context.perSeed()) {
            for (int rank : context.config().lora().ranks()) {
                for (Method method : Method.generators()) {
                    fits.add(GeneratorStage.Request.of(seed, Tracks.detection(seed), method, rank,
                            ConditionKind.FINE_TUNED_STATES));
                }
            }
        }
        return fits;
    }

    @Override
    public ExperimentResult run(RunContext context) {
        List<Integer> ranks = context.config().lora().ranks();
        List<Method> rows = new ArrayList<>(List.of(Method.ORIGINAL_LORA));
        rows.addAll(Method.generators());
        List<RunContext> seeds = context.perSeed();
        DetectionTrack track = Tracks.detection(context);
        Measurements measured = new Measurements(track);
        TrainingDiagnostics diagnostics = new TrainingDiagnostics(title(), false);
        List<TrainedGenerator> fitted = GeneratorStage.fitAll(fits(context));
        try {
            Cells cells = new Cells();
            int next = 0;
            for (RunContext seed : seeds) {
                DetectionTrack seedTrack = Tracks.detection(seed);
                for (int rank : ranks) {
                    List<TrainedGenerator> ofRank = fitted.subList(next, next + Method.generators().size());
                    next += ofRank.size();
                    Map<Method, TrainedGenerator> generators = new EnumMap<>(Method.class);
                    Method.generators().forEach(method -> generators.put(method,
                            ofRank.get(Method.generators().indexOf(method))));
                    diagnostics.addGenerators(seed.seed(), rank, generators);
                    for (Method method : rows) {
                        for (String category : CATEGORIES) {
                            String task = PaperNames.taskFor(seedTrack, category);
                            cells.add(row(rank, method), task, MethodEvaluation.Request.of(seed, seedTrack, method,
                                    task, rank, generators.get(method)));
                        }
                    }
                }
            }
            cells.evaluateInto(measured);
        } finally {
            fitted.forEach(TrainedGenerator::close);
        }
        DetectionTrack lastTrack = track;
        Table table = measured.wide(title() + " (measured mAP50, mean over seeds)", "map50",
                List.of("rank", "method"), row -> List.of(row.split("\\|")));
        DoubleColumn params = DoubleColumn.create("lora_params");
        table.stringColumn("rank").forEach(r -> params.append(lastTrack.layout(Integer.parseInt(r)).size()));
        table.insertColumn(1, params);
        Table comparison = Comparison.of(title() + ": measured vs paper", table, PaperTables.table4(),
                List.of("rank", "method"), List.of("lora_params", "dog", "cat"));
        ExperimentResult result = new ExperimentResult(id(), title(), context, table, comparison);
        Bootstrap bootstrap = context.bootstrap();
        Table differences = null;
        for (int rank : ranks) {
            List<String> generators = Method.generators().stream().map(m -> row(rank, m)).toList();
            Table perRank = measured.differences("differences from Original LoRA at each rank", generators,
                    row(rank, Method.ORIGINAL_LORA), bootstrap);
            differences = differences == null ? perRank : differences.append(perRank);
        }
        result.withTable("differences", differences);
        diagnostics.addTo(result);
        for (String category : CATEGORIES) {
            result.withFigure(category, Charts.groupedBarsWithErrors("mAP50 on " + PaperNames.label(track, PaperNames
                    .taskFor(track, category)) + " by rank (mean ± sd over seeds)", table, "rank", "method", category,
                    category + " sd"));
        }
        for (int rank : ranks) {
            Interval d = measured.meanDifference(row(rank, Method.ICM_LORA), row(rank, Method.ORIGINAL_LORA), "map50",
                    bootstrap);
            result.withNote("Rank " + rank + ": " + Readings.difference("ICM-LoRA", "Original LoRA",
                    "map50 (mean over dog, cat, sofa, motorbike)", d, true, 3));
        }
        List<String> paperCategories = List.of(PaperNames.taskFor(track, "dog"), PaperNames.taskFor(track, "cat"));
        Table paper = PaperTables.table4();
        int low = ranks.get(0);
        int high = ranks.get(ranks.size() - 1);
        for (Method method : Method.generators()) {
            Interval d = measured.meanDifference(row(high, method), row(low, method), paperCategories, "map50",
                    bootstrap);
            double paperDifference = paperMean(paper, high, method) - paperMean(paper, low, method);
            result.withNote(Readings.difference(method.paperName() + " at rank " + high, "at rank " + low,
                    "map50 (mean over dog, cat)", d, true, 3) + (Double.isNaN(paperDifference) ? ""
                    : " " + Readings.againstPaperSentence(d, paperDifference, 3)));
        }
        result.withNote("P (lora_params) is the kit's detector's adapter length; the paper's Florence-2 adapters are"
                + " about " + Math.round(482482.0 / track.layout(2).size()) + " times longer at rank 2.");
        return result;
    }

    /** The paper's mean mAP50 over dog and cat of {@code method} at {@code rank} (NaN where the paper has no row). */
    private static double paperMean(Table paper, int rank, Method method) {
        Table rows = paper.where(paper.doubleColumn("rank").isEqualTo(rank)
                .and(paper.stringColumn("method").isEqualTo(method.paperName())));
        return rows.isEmpty() ? Double.NaN : (rows.doubleColumn("dog").get(0) + rows.doubleColumn("cat").get(0)) / 2;
    }

    private static String row(int rank, Method method) {
        return rank + "|" + method.paperName();
    }
}
