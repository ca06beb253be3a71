package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.icmlora.experiments.pipeline.Method;
import org.icmlora.experiments.pipeline.MethodEvaluation;
import org.icmlora.experiments.pipeline.TrainedGenerator;
import org.icmlora.generate.core.SoupConfig;
import org.icmlora.generate.pdiff.PdiffGenerator;
import org.icmlora.generate.soup.ModelSoup;
import org.icmlora.lora.Adapter;
import org.icmlora.lora.StackedMean;
import org.icmlora.stats.Bootstrap;
import org.icmlora.stats.Readings;
import org.icmlora.tracks.Evaluation;
import org.icmlora.tracks.Metric;
import org.icmlora.tracks.Task;
import org.icmlora.tracks.Track;
import org.icmlora.train.TrainingReport;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How far each baseline is from the best its own construction allows, measured beside it in Tables 1 and 2, so a low
 * baseline score can be told apart from a badly built baseline:
 * <ul>
 *   <li>the two soups untruncated: the exact mean weight change ({@link StackedMean}, an adapter of rank N r) where
 *       the soups must return its best rank-r approximation, and the relative Frobenius error of that truncation
 *       per layer ({@link ModelSoup#truncationErrors()});</li>
 *   <li>COND P-DIFF's ceiling: the autoencoder's round trip of the task's last checkpoint
 *       ({@link PdiffGenerator#roundTrip}), what a perfect diffusion model, one that samples exactly that
 *       checkpoint's latent, would give. A sample can still land elsewhere and by chance score better; the ceiling
 *       says whether the autoencoder can carry the adapter at all.</li>
 * </ul>
 */
final class BaselineCeilings {

    /** Row label of Model Soup's exact mean. */
    static final String SOUP_UNTRUNCATED = "Model Soup (untruncated)";
    /** Row label of the task mean's exact mean. */
    static final String TASK_MEAN_UNTRUNCATED = "Task-mean LoRA (untruncated)";
    /** Row label of P-DIFF's round trip. */
    static final String PDIFF_ROUND_TRIP = "COND P-DIFF round trip (ceiling)";

    private BaselineCeilings() {}

    /** The row labels, in table order. */
    static List<String> labels() {
        return List.of(TASK_MEAN_UNTRUNCATED, SOUP_UNTRUNCATED, PDIFF_ROUND_TRIP);
    }

    /**
     * The evaluations of the ceiling rows on {@code task}, by label, with the run's fitted {@code generators}, to be
     * evaluated with a table's other cells ({@link Cells}). The soups' rows appear only for merged-delta soups (factor
     * averaging truncates nothing).
     */
    static Map<String, MethodEvaluation.Request> requests(RunContext context, Track track, String task, int rank,
            Map<Method, TrainedGenerator> generators) {
        Map<String, MethodEvaluation.Request> rows = new LinkedHashMap<>();
        SoupConfig taskMean = (SoupConfig) Method.TASK_MEAN_LORA.generator(context.config(), 0);
        if (taskMean.averaging() == SoupConfig.Averaging.MERGED_DELTAS) {
            rows.put(TASK_MEAN_UNTRUNCATED, untruncated(context, track, task, rank, taskMean, TASK_MEAN_UNTRUNCATED,
                    generators.get(Method.TASK_MEAN_LORA)));
        }
        if (context.config().soup().averaging() == SoupConfig.Averaging.MERGED_DELTAS) {
            rows.put(SOUP_UNTRUNCATED, untruncated(context, track, task, rank, context.config().soup(),
                    SOUP_UNTRUNCATED, generators.get(Method.MODEL_SOUP)));
        }
        TrainedGenerator pdiff = generators.get(Method.COND_P_DIFF);
        rows.put(PDIFF_ROUND_TRIP, new MethodEvaluation.Request(context, track, task, PDIFF_ROUND_TRIP, rank,
                pdiff.key(), () -> Optional.of(track.adapters(task, rank).last().withValues(
                        ((PdiffGenerator) pdiff.generator()).roundTrip(track.adapters(task, rank).last().values())))));
        return rows;
    }

    private static MethodEvaluation.Request untruncated(RunContext context, Track track, String task, int rank,
            SoupConfig soup, String label, TrainedGenerator fitted) {
        return new MethodEvaluation.Request(context, track, task, label, rank, fitted.key(), () -> {
            List<Adapter> adapters = new ArrayList<>();
            for (Task t : track.tasks()) {
                if (soup.scope() == SoupConfig.Scope.ALL_TASKS || t.id().equals(task)) {
                    adapters.addAll(track.adapters(t.id(), rank).adapters());
                }
            }
            return Optional.of(StackedMean.of(adapters));
        });
    }

    /**
     * The soups' rank-r truncation errors of one seed's fit: per soup (all tasks, or one task), the mean and the
     * largest relative Frobenius error {@code ||D - D_r|| / ||D||} over the adapted layers.
     */
    static Table truncationErrors(long seed, Map<Method, TrainedGenerator> generators) {
        LongColumn seeds = LongColumn.create("seed");
        StringColumn methods = StringColumn.create("method");
        StringColumn soups = StringColumn.create("soup of");
        IntColumn layers = IntColumn.create("layers");
        DoubleColumn mean = DoubleColumn.create("mean relative error");
        DoubleColumn max = DoubleColumn.create("max relative error");
        for (Method method : List.of(Method.TASK_MEAN_LORA, Method.MODEL_SOUP)) {
            Map<String, List<Double>> bySoup = new LinkedHashMap<>();
            ((ModelSoup) generators.get(method).generator()).truncationErrors().forEach((key, error) -> {
                int slash = key.indexOf('/');
                bySoup.computeIfAbsent(slash < 0 ? "all tasks" : key.substring(0, slash), k -> new ArrayList<>())
                        .add(error);
            });
            bySoup.forEach((soup, errors) -> {
                seeds.append(seed);
                methods.append(method.paperName());
                soups.append(soup);
                layers.append(errors.size());
                mean.append(errors.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
                max.append(errors.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
            });
        }
        return Table.create("rank-r truncation error of the soups", seeds, methods, soups, layers, mean, max);
    }

    /**
     * One sentence on the training budgets of COND P-DIFF and of ICM-LoRA's CVAE (optimiser steps and epochs per
     * phase, and what ended each phase), from one seed's fit reports.
     */
    static String budgetNote(Map<Method, TrainedGenerator> generators) {
        StringBuilder note = new StringBuilder("Training budgets (first seed): ");
        for (Method method : List.of(Method.COND_P_DIFF, Method.ICM_LORA)) {
            TrainedGenerator generator = generators.get(method);
            note.append(method.paperName()).append(' ');
            List<String> phases = new ArrayList<>();
            for (TrainingReport phase : generator.fit().phases()) {
                phases.add(String.format(Locale.ROOT, "%s %,d optimiser steps in %d epochs (%s)", phase.phase(),
                        phase.optimizerSteps(), phase.epochsDone(), TrainingDiagnostics.endedBy(generator, phase)));
            }
            note.append(String.join(", ", phases)).append(method == Method.COND_P_DIFF ? "; " : ".");
        }
        return note.toString();
    }

    /** Sentences on the ceilings, generated from the measured rows and their intervals. */
    static List<String> readings(Measurements measured, Metric metric, Table truncation, String budget,
            Bootstrap bootstrap) {
        List<String> notes = new ArrayList<>();
        String name = metric.name() + " (mean over tasks)";
        String pdiff = Method.COND_P_DIFF.paperName();
        notes.add(Readings.difference(pdiff, PDIFF_ROUND_TRIP, name, measured.meanDifference(pdiff, PDIFF_ROUND_TRIP,
                metric.name(), bootstrap), metric.higherIsBetter(), 3) + " " + Readings.difference(PDIFF_ROUND_TRIP,
                Method.ORIGINAL_LORA.paperName(), name, measured.meanDifference(PDIFF_ROUND_TRIP,
                        Method.ORIGINAL_LORA.paperName(), metric.name(), bootstrap), metric.higherIsBetter(), 3)
                + " " + budget);
        for (String[] pair : new String[][] {{Method.MODEL_SOUP.paperName(), SOUP_UNTRUNCATED},
                {Method.TASK_MEAN_LORA.paperName(), TASK_MEAN_UNTRUNCATED}}) {
            if (!measured.rows().contains(pair[1])) {
                continue;
            }
            Table rows = truncation.where(truncation.stringColumn("method").isEqualTo(pair[0]));
            notes.add(String.format(Locale.ROOT, "%s keeps the best rank-r adapter of its mean weight change, losing"
                    + " %.1f %% of it on average (relative Frobenius error per layer, largest %.1f %%). ", pair[0],
                    100 * rows.doubleColumn("mean relative error").mean(),
                    100 * rows.doubleColumn("max relative error").max())
                    + Readings.difference(pair[0], pair[1], name, measured.meanDifference(pair[0], pair[1],
                            metric.name(), bootstrap), metric.higherIsBetter(), 3));
        }
        return notes;
    }
}
