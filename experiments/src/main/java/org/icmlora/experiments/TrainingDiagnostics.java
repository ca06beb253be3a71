package org.icmlora.experiments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.icmlora.experiments.charts.Charts;
import org.icmlora.experiments.pipeline.Method;
import org.icmlora.experiments.pipeline.PaperNames;
import org.icmlora.experiments.pipeline.TrainedGenerator;
import org.icmlora.generate.core.FitReport;
import org.icmlora.generate.core.PdiffConfig;
import org.icmlora.generate.pdiff.PdiffGenerator;
import org.icmlora.store.ArtifactStore;
import org.icmlora.tracks.Task;
import org.icmlora.tracks.Track;
import org.icmlora.train.TrainingReport;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/**
 * What training cost and whether it converged, for every model behind a table, so a reader sees a fair comparison
 * instead of trusting it: the generators' budget (epochs, optimiser steps, the fit's wall time as the generator
 * stage's manifest records it, parameter count, final losses and what ended each phase), and the loss curves of the generators, the LoRA series and the base model, drawn for
 * the first seed and kept for every seed as a long table. Collects over the seeds and ranks of one experiment, then
 * {@link #addTo} puts the tables {@code budget} and {@code losses} and the figures into its result.
 */
final class TrainingDiagnostics {

    private final String title;
    private final boolean drawCurves;
    private final LongColumn budgetSeed = LongColumn.create("seed");
    private final IntColumn budgetRank = IntColumn.create("rank");
    private final StringColumn budgetMethod = StringColumn.create("method");
    private final StringColumn budgetPhase = StringColumn.create("phase");
    private final IntColumn epochs = IntColumn.create("epochs");
    private final IntColumn steps = IntColumn.create("optimiser steps");
    private final DoubleColumn seconds = DoubleColumn.create("fit seconds (all phases)");
    private final LongColumn parameters = LongColumn.create("generator parameters");
    private final IntColumn adapterLength = IntColumn.create("adapter length P");
    private final StringColumn finalLosses = StringColumn.create("final losses");
    private final StringColumn endedBy = StringColumn.create("ended by");
    private final LongColumn lossSeed = LongColumn.create("seed");
    private final StringColumn lossModel = StringColumn.create("model");
    private final StringColumn lossPhase = StringColumn.create("phase");
    private final IntColumn lossEpoch = IntColumn.create("epoch");
    private final StringColumn lossPart = StringColumn.create("loss");
    private final DoubleColumn lossValue = DoubleColumn.create("value");
    private final Map<String, Figure> figures = new LinkedHashMap<>();
    private Long firstSeed;

    /**
     * Diagnostics of the experiment titled {@code title}; {@code drawCurves} false keeps the curves in the table only
     * (Table 5 fits two dozen CVAEs).
     */
    TrainingDiagnostics(String title, boolean drawCurves) {
        this.title = title;
        this.drawCurves = drawCurves;
    }

    /** The budget and loss curves of one seed's generators fitted at {@code rank}. */
    void addGenerators(long seed, int rank, Map<Method, TrainedGenerator> generators) {
        generators.forEach((method, generator) -> addGenerator(seed, rank, method.paperName(), generator));
    }

    /** The budget and loss curves of one generator, labelled {@code label} ("ICM-LoRA", "ICM-LoRA depth 12"). */
    void addGenerator(long seed, int rank, String label, TrainedGenerator generator) {
        boolean drawn = isFirst(seed);
        FitReport fit = generator.fit();
        double fitSeconds = ArtifactStore.secondsToCompute(generator.dir());
        if (fit.phases().isEmpty()) {
            budgetRow(seed, rank, label, "closed form", 0, 0, fitSeconds, generator, "", "closed form");
        }
        Map<String, double[]> curves = new LinkedHashMap<>();
        for (TrainingReport phase : fit.phases()) {
            budgetRow(seed, rank, label, phase.phase(), phase.epochsDone(), phase.optimizerSteps(), fitSeconds,
                    generator, format(phase.lastLosses()), endedBy(generator, phase));
            String model = label + " (rank " + rank + ")";
            curves.putAll(lossRows(seed, model, phase));
        }
        if (drawn && !curves.isEmpty()) {
            figures.put("loss " + label + " r" + rank, Charts.lines(label + " at rank " + rank
                    + ": training loss per epoch (seed " + seed + ")", curves, "epoch", "loss", true));
        }
    }

    /** The loss curves of {@code track}'s base model and of its LoRA series at {@code rank}, for one seed. */
    void addTrack(long seed, Track track, int rank) {
        boolean drawn = isFirst(seed);
        Map<String, double[]> lora = new LinkedHashMap<>();
        for (Task task : track.tasks()) {
            track.adapterTraining(task.id(), rank).ifPresent(report -> lossRows(seed, "LoRA " + task.id() + " (rank "
                    + rank + ")", report).forEach((part, values) -> lora.put(PaperNames.label(track, task.id())
                    + " " + part, values)));
        }
        Map<String, double[]> base = track.baseTraining().map(report -> lossRows(seed, track.id() + " base model",
                report)).orElse(Map.of());
        if (drawn && !lora.isEmpty()) {
            figures.put("loss LoRA " + track.id() + " r" + rank, Charts.lines("LoRA fine-tuning of every " + track.id()
                    + " task at rank " + rank + ": training loss per epoch (seed " + seed + ")", lora, "epoch", "loss",
                    true));
        }
        if (drawn && !base.isEmpty()) {
            figures.put("loss base " + track.id(), Charts.lines("The " + track.id() + " base model's pretraining:"
                    + " training loss per epoch", base, "epoch", "loss", true));
        }
    }

    /** Adds the tables {@code budget} and {@code losses} and the loss figures to {@code result}. */
    void addTo(ExperimentResult result) {
        result.withTable("budget", Table.create(title + ": training budget of every generator", budgetSeed,
                budgetRank, budgetMethod, budgetPhase, epochs, steps, seconds, parameters, adapterLength, finalLosses,
                endedBy));
        result.withTable("losses", Table.create(title + ": loss per epoch of every trained model", lossSeed,
                lossModel, lossPhase, lossEpoch, lossPart, lossValue));
        figures.forEach(result::withFigure);
    }

    private boolean isFirst(long seed) {
        if (firstSeed == null) {
            firstSeed = seed;
        }
        return drawCurves && firstSeed == seed;
    }

    private void budgetRow(long seed, int rank, String label, String phase, int epochCount, int stepCount,
            double wallSeconds, TrainedGenerator generator, String losses, String end) {
        budgetSeed.append(seed);
        budgetRank.append(rank);
        budgetMethod.append(label);
        budgetPhase.append(phase);
        epochs.append(epochCount);
        steps.append(stepCount);
        seconds.append(Math.round(wallSeconds * 10) / 10.0);
        parameters.append(generator.generator().parameterCount());
        adapterLength.append(generator.layout().size());
        finalLosses.append(losses);
        endedBy.append(end);
    }

    /** Appends a report's loss history to the long table; returns its curves by part. */
    private Map<String, double[]> lossRows(long seed, String model, TrainingReport report) {
        Map<String, double[]> curves = new LinkedHashMap<>();
        List<Map<String, Double>> history = report.history();
        for (int e = 0; e < history.size(); e++) {
            for (var part : history.get(e).entrySet()) {
                lossSeed.append(seed);
                lossModel.append(model);
                lossPhase.append(report.phase());
                lossEpoch.append(e + 1);
                lossPart.append(part.getKey());
                lossValue.append(part.getValue());
                curves.computeIfAbsent(report.phase() + " " + part.getKey(), k -> new double[history.size()])[e] =
                        part.getValue();
            }
        }
        return curves;
    }

    /** What ended a phase: its fixed epoch count, or for COND P-DIFF the plateau rule or the epoch cap. */
    static String endedBy(TrainedGenerator generator, TrainingReport phase) {
        if (!phase.complete()) {
            return "interrupted";
        }
        if (!(generator.generator() instanceof PdiffGenerator pdiff)) {
            return "fixed epochs";
        }
        PdiffConfig config = pdiff.config();
        int minimum = phase.phase().endsWith("ae") ? config.aeEpochs() : config.ddpmEpochs();
        int cap = config.epochCap(minimum);
        if (cap == minimum) {
            return "fixed epochs";
        }
        return phase.epochsDone() < cap ? "loss flat after at least " + minimum + " epochs" : "epoch cap " + cap;
    }

    private static String format(Map<String, Double> losses) {
        return losses.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.4g", e.getKey(), e.getValue()))
                .collect(Collectors.joining("; "));
    }
}
