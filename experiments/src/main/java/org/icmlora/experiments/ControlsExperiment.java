package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.icmlora.experiments.charts.Charts;
import org.icmlora.experiments.pipeline.GeneratorStage;
import org.icmlora.experiments.pipeline.Method;
import org.icmlora.experiments.pipeline.PaperNames;
import org.icmlora.experiments.pipeline.Tracks;
import org.icmlora.experiments.pipeline.TrainedGenerator;
import org.icmlora.stats.Bootstrap;
import org.icmlora.stats.Interval;
import org.icmlora.stats.Readings;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.Track;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The controls no paper table has, on both tracks: does a conditional generator (ICM-LoRA's CVAE, COND P-DIFF) use
 * its condition, and does it use its latent, or does it return what it stored? Each generator is the one of Tables 1
 * and 2 (fitted on every task at the run's rank, conditioned on Eq. 1's task vectors), measured per seed by
 * {@link GeneratorControls}: the condition-swap matrix, null conditions, latent draws with the memorisation index,
 * weight fidelity and cost. The measured table is one line per track, generator and quantity; the readings are
 * generated from it, differences with their paired bootstrap intervals over test items and seeds.
 */
public final class ControlsExperiment implements Experiment {

    /** The generators whose condition and latent are tested: the conditional ones that sample. */
    static final List<Method> GENERATORS = List.of(Method.ICM_LORA, Method.COND_P_DIFF);

    @Override
    public String id() {
        return "controls";
    }

    @Override
    public String title() {
        return "Controls: does the generator use its condition and its latent?";
    }

    /** Every seed's generating methods on each tested track (those of Tables 1 and 2). */
    @Override
    public List<GeneratorStage.Request> fits(RunContext context) {
        List<GeneratorStage.Request> fits = new ArrayList<>();
        for (String trackId : context.config().controls().tracks()) {
            fits.addAll(GeneratorStage.requests(context.perSeed(), trackId, context.config().lora().rank(),
                    ConditionKind.FINE_TUNED_STATES));
        }
        return fits;
    }

    @Override
    public ExperimentResult run(RunContext context) {
        int rank = context.config().lora().rank();
        List<GeneratorControls> all = new ArrayList<>();
        Map<GeneratorControls, Track> tracks = new LinkedHashMap<>();
        List<RunContext> seeds = context.perSeed();
        for (String trackId : context.config().controls().tracks()) {
            // every seed's generators of Tables 1 and 2 (cached when the tables ran), fitted side by side
            List<Map<Method, TrainedGenerator>> fitted = GeneratorStage.fitAll(seeds, trackId, rank,
                    ConditionKind.FINE_TUNED_STATES);
            try {
                for (Method method : GENERATORS) {
                    GeneratorControls controls = new GeneratorControls(Tracks.of(context, trackId), method);
                    for (int s = 0; s < fitted.size(); s++) {
                        RunContext seed = seeds.get(s);
                        controls.measure(seed, Tracks.of(seed, trackId), rank, fitted.get(s).get(method),
                                fitted.get(s).get(Method.TASK_MEAN_LORA), context.config().controls().draws());
                    }
                    all.add(controls);
                    tracks.put(controls, Tracks.of(context, trackId));
                }
            } finally {
                fitted.forEach(generators -> generators.values().forEach(TrainedGenerator::close));
            }
        }
        Bootstrap bootstrap = context.bootstrap();
        Table measured = summary(all, tracks, bootstrap);
        ExperimentResult result = new ExperimentResult(id(), title(), context, measured, pivot(measured));
        for (GeneratorControls controls : all) {
            Track track = tracks.get(controls);
            String name = track.id() + " " + controls.method().paperName();
            String file = track.id() + "-" + controls.method().name().toLowerCase(Locale.ROOT).replace('_', '-');
            result.withFigure("swap " + name, swapHeatmap(controls, track));
            result.withTable("swap-" + file, swapTable(controls, track));
            result.withTable("conditions-" + file, controls.scores().table(name + ": score per condition",
                    "condition", "task"));
            result.withTable("differences-" + file, controls.scores().differences(name + ": null conditions and"
                    + " references minus the own condition", GeneratorControls.COMPARED, GeneratorControls.OWN,
                    bootstrap));
            result.withTable("latent-" + file, controls.latent());
            result.withTable("draws-" + file, controls.draws());
            result.withTable("fidelity-" + file, controls.fidelity());
            readings(controls, track, bootstrap).forEach(result::withNote);
        }
        return result;
    }

    /** One line per track, generator and quantity: the figures the readings are written from. */
    private static Table summary(List<GeneratorControls> all, Map<GeneratorControls, Track> tracks,
            Bootstrap bootstrap) {
        StringColumn trackColumn = StringColumn.create("track");
        StringColumn methodColumn = StringColumn.create("generator");
        StringColumn metricColumn = StringColumn.create("metric");
        StringColumn quantity = StringColumn.create("quantity");
        DoubleColumn value = DoubleColumn.create("value");
        for (GeneratorControls controls : all) {
            Map<String, Double> lines = quantities(controls, tracks.get(controls), bootstrap);
            lines.forEach((name, v) -> {
                trackColumn.append(tracks.get(controls).id());
                methodColumn.append(controls.method().paperName());
                metricColumn.append(controls.metric().name());
                quantity.append(name);
                value.append(v);
            });
        }
        return Table.create("Controls (measured; means over tasks and seeds)", trackColumn, methodColumn,
                metricColumn, quantity, value);
    }

    private static Map<String, Double> quantities(GeneratorControls controls, Track track, Bootstrap bootstrap) {
        String metric = controls.metric().name();
        Measurements scores = controls.scores();
        Map<String, Double> lines = new LinkedHashMap<>();
        lines.put("score: own condition", meanOverTasks(scores, GeneratorControls.OWN, metric));
        lines.put("score: another task's condition (off-diagonal mean)", offDiagonalMean(controls, track));
        for (String row : GeneratorControls.COMPARED) {
            lines.put("score: " + row, meanOverTasks(scores, row, metric));
        }
        Interval shuffled = scores.meanDifference(GeneratorControls.OWN, GeneratorControls.SHUFFLED, metric,
                bootstrap);
        lines.put("own - shuffled: estimate", shuffled.estimate());
        lines.put("own - shuffled: low", shuffled.low());
        lines.put("own - shuffled: high", shuffled.high());
        lines.put("tasks whose own condition scores best of all conditions", (double) ownWins(controls, track));
        Table latent = controls.latent();
        for (String column : List.of(metric + " sd", "draws' spread / own spread", "conditions' spread / own spread",
                "memorisation index mean", "memorisation index min", "memorisation index of the table's adapter",
                "memorisation index of the task mean")) {
            lines.put("latent: " + column + " (mean over tasks)", latent.doubleColumn(column).mean());
        }
        lines.put("latent: " + metric + " range max - min (mean over tasks)",
                latent.doubleColumn(metric + " max").subtract(latent.doubleColumn(metric + " min")).mean());
        Table fidelity = controls.fidelity();
        for (String[] pair : new String[][] {{controls.method().paperName(), "last checkpoint"},
                {controls.method().paperName(), "task mean"}, {"task mean", "last checkpoint"}}) {
            Table rows = fidelity.where(fidelity.stringColumn("adapter").isEqualTo(pair[0])
                    .and(fidelity.stringColumn("reference").isEqualTo(pair[1])));
            String name = "fidelity: " + pair[0] + " vs " + pair[1];
            lines.put(name + ": cosine (mean over tensors)", rows.doubleColumn("cosine").mean());
            lines.put(name + ": relative L2 (mean over tensors)", rows.doubleColumn("relative L2").mean());
        }
        for (String cost : List.of("generation ms per adapter (median)", "generator bytes", "generator parameters")) {
            lines.put("cost: " + cost, controls.cost(cost));
        }
        return lines;
    }

    /** The measured lines as a table with one column per track and generator, for reading. */
    private static Table pivot(Table measured) {
        Map<String, Map<String, Double>> byColumn = new LinkedHashMap<>();
        List<String> quantities = new ArrayList<>();
        for (int i = 0; i < measured.rowCount(); i++) {
            String column = measured.stringColumn("track").get(i) + " " + measured.stringColumn("generator").get(i)
                    + " (" + measured.stringColumn("metric").get(i) + ")";
            String quantity = measured.stringColumn("quantity").get(i);
            byColumn.computeIfAbsent(column, c -> new LinkedHashMap<>()).put(quantity, measured.doubleColumn("value")
                    .get(i));
            if (!quantities.contains(quantity)) {
                quantities.add(quantity);
            }
        }
        Table pivot = Table.create("Controls: one column per track and generator",
                StringColumn.create("quantity", quantities));
        byColumn.forEach((column, values) -> pivot.addColumns(DoubleColumn.create(column,
                quantities.stream().mapToDouble(q -> values.getOrDefault(q, Double.NaN)).toArray())));
        return pivot;
    }

    /** The swap matrix's mean score over seeds: row i is the task scored, column j the condition's task. */
    private static double[][] swapMatrix(GeneratorControls controls, Track track) {
        List<String> tasks = track.tasks().stream().map(t -> t.id()).toList();
        double[][] values = new double[tasks.size()][tasks.size()];
        for (int i = 0; i < tasks.size(); i++) {
            for (int j = 0; j < tasks.size(); j++) {
                values[i][j] = controls.scores().summary(GeneratorControls.conditionOf(tasks.get(j)), tasks.get(i),
                        controls.metric().name()).mean();
            }
        }
        return values;
    }

    private static Table swapTable(GeneratorControls controls, Track track) {
        List<String> tasks = track.tasks().stream().map(t -> t.id()).toList();
        double[][] values = swapMatrix(controls, track);
        Table table = Table.create(track.id() + " " + controls.method().paperName() + ": " + controls.metric().name()
                + " of the adapter generated from the column task's condition, on the row task (mean over seeds)",
                StringColumn.create("scored on", tasks.stream().map(t -> PaperNames.label(track, t)).toList()));
        for (int j = 0; j < tasks.size(); j++) {
            double[] column = new double[tasks.size()];
            for (int i = 0; i < tasks.size(); i++) {
                column[i] = values[i][j];
            }
            table.addColumns(DoubleColumn.create("condition of " + PaperNames.label(track, tasks.get(j)), column));
        }
        return table;
    }

    private static tech.tablesaw.plotly.components.Figure swapHeatmap(GeneratorControls controls, Track track) {
        List<String> labels = track.tasks().stream().map(t -> PaperNames.label(track, t.id())).toList();
        return Charts.heatmap(track.id() + ", " + controls.method().paperName() + ": " + controls.metric().name()
                + " with another task's condition (measured, mean over seeds)", labels, labels,
                swapMatrix(controls, track), "task scored", "condition of");
    }

    private static double offDiagonalMean(GeneratorControls controls, Track track) {
        double[][] values = swapMatrix(controls, track);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < values.length; j++) {
                if (i != j) {
                    sum += values[i][j];
                    n++;
                }
            }
        }
        return sum / n;
    }

    /** Rows of the swap matrix (tasks scored) whose best condition is their own. */
    private static int ownWins(GeneratorControls controls, Track track) {
        double[][] values = swapMatrix(controls, track);
        double sign = controls.metric().higherIsBetter() ? 1 : -1;
        int wins = 0;
        for (int i = 0; i < values.length; i++) {
            boolean best = true;
            for (int j = 0; j < values.length; j++) {
                best &= j == i || sign * values[i][i] > sign * values[i][j];
            }
            wins += best ? 1 : 0;
        }
        return wins;
    }

    private static double meanOverTasks(Measurements scores, String row, String metric) {
        return scores.tasks(row).stream().mapToDouble(task -> scores.summary(row, task, metric).mean()).average()
                .orElse(Double.NaN);
    }

    /** Sentences generated from the measurements of one generator on one track. */
    private static List<String> readings(GeneratorControls controls, Track track, Bootstrap bootstrap) {
        String metric = controls.metric().name();
        boolean higher = controls.metric().higherIsBetter();
        String name = track.id() + ", " + controls.method().paperName();
        Measurements scores = controls.scores();
        Map<String, Double> q = quantities(controls, track, bootstrap);
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "%s, condition swap: with its own condition a task scores %.4f %s (mean"
                + " over tasks and seeds), with another task's condition %.4f; the own condition is the best of the %d"
                + " for %d of %d tasks.", name, q.get("score: own condition"), metric,
                q.get("score: another task's condition (off-diagonal mean)"), track.tasks().size(),
                Math.round(q.get("tasks whose own condition scores best of all conditions")), track.tasks().size()));
        for (String row : GeneratorControls.COMPARED) {
            Interval d = scores.meanDifference(GeneratorControls.OWN, row, metric, bootstrap);
            notes.add(name + ": " + Readings.difference(GeneratorControls.OWN, row, metric, d, higher, 4));
        }
        notes.add(String.format(Locale.ROOT, "%s, latent: over %d draws of z per task the %s varies by sd %.4f (range"
                + " %.4f); the drawn adapters lie %.2f times as far apart as the task's own checkpoints do, the"
                + " adapters of different conditions under one z %.2f times; a draw's distance to the nearest stored"
                + " checkpoint is %.2f times that spread on average (memorisation index; 0 = a stored checkpoint;"
                + " smallest %.2f), the table's adapter %.2f, the element-wise task mean %.2f.", name,
                controls.draws().rowCount() / Math.max(1, controls.latent().rowCount()), metric,
                q.get("latent: " + metric + " sd (mean over tasks)"),
                q.get("latent: " + metric + " range max - min (mean over tasks)"),
                q.get("latent: draws' spread / own spread (mean over tasks)"),
                q.get("latent: conditions' spread / own spread (mean over tasks)"),
                q.get("latent: memorisation index mean (mean over tasks)"),
                q.get("latent: memorisation index min (mean over tasks)"),
                q.get("latent: memorisation index of the table's adapter (mean over tasks)"),
                q.get("latent: memorisation index of the task mean (mean over tasks)")));
        String method = controls.method().paperName();
        notes.add(String.format(Locale.ROOT, "%s, weights: the generated adapter's tensors have cosine %.3f with the"
                + " task's last checkpoint (relative L2 error %.3f) and %.3f with the task mean (%.3f); the task mean"
                + " itself has cosine %.3f with the last checkpoint (%.3f). Generating one adapter takes %.1f ms; the"
                + " generator holds %,.0f parameters in %,.0f bytes.", name,
                q.get("fidelity: " + method + " vs last checkpoint: cosine (mean over tensors)"),
                q.get("fidelity: " + method + " vs last checkpoint: relative L2 (mean over tensors)"),
                q.get("fidelity: " + method + " vs task mean: cosine (mean over tensors)"),
                q.get("fidelity: " + method + " vs task mean: relative L2 (mean over tensors)"),
                q.get("fidelity: task mean vs last checkpoint: cosine (mean over tensors)"),
                q.get("fidelity: task mean vs last checkpoint: relative L2 (mean over tensors)"),
                q.get("cost: generation ms per adapter (median)"), q.get("cost: generator parameters"),
                q.get("cost: generator bytes")));
        return notes;
    }
}
