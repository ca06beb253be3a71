package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.icmlora.experiments.pipeline.PaperNames;
import org.icmlora.experiments.pipeline.Tracks;
import org.icmlora.stats.Summary;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.Task;
import org.icmlora.tracks.detection.DetectionTrack;
import smile.manifold.TSNE;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.api.ScatterPlot;

/**
 * Figure 2: a t-SNE map (Smile) of the per-sample task vectors of the five detection categories: the last-layer
 * hidden state of each category's fine-tuned detector on N of its images. The paper shows distinct clusters; the kit
 * measures how distinct with leave-one-out nearest-centroid accuracy, in the original space and on the map.
 */
public final class TaskVectorMapExperiment implements Experiment {

    @Override
    public String id() {
        return "figure2";
    }

    @Override
    public String title() {
        return "Figure 2: t-SNE of the task vectors of five categories";
    }

    @Override
    public ExperimentResult run(RunContext context) {
        List<Double> tuned = new ArrayList<>();
        List<Double> base = new ArrayList<>();
        for (RunContext seed : context.perSeed()) {
            DetectionTrack track = Tracks.detection(seed);
            tuned.add(accuracy(samples(track, ConditionKind.FINE_TUNED_STATES)));
            base.add(accuracy(samples(track, ConditionKind.BASE_STATES)));
        }
        DetectionTrack track = Tracks.detection(context);
        Samples first = samples(track, ConditionKind.FINE_TUNED_STATES);
        double perplexity = Math.min(30, (first.points().length - 1) / 3.0);
        double[][] map = new TSNE(first.points(), 2, perplexity, 200, 1000).coordinates;
        Table tsne = Table.create("t-SNE of task vectors",
                DoubleColumn.create("x", java.util.Arrays.stream(map).mapToDouble(p -> p[0]).toArray()),
                DoubleColumn.create("y", java.util.Arrays.stream(map).mapToDouble(p -> p[1]).toArray()),
                StringColumn.create("category", first.labels()));
        double onMap = NearestCentroid.leaveOneOutAccuracy(map, first.labels());
        Summary inSpace = Summary.of(tuned.stream().mapToDouble(Double::doubleValue).toArray());
        Summary baseStates = Summary.of(base.stream().mapToDouble(Double::doubleValue).toArray());
        Table measured = Table.create(title() + " (measured)",
                StringColumn.create("quantity", "samples per seed", "task vector dimension",
                        "nearest-centroid accuracy, fine-tuned hidden states (Eq. 1), leave-one-out",
                        "nearest-centroid accuracy, base-model hidden states (control), leave-one-out",
                        "nearest-centroid accuracy on the t-SNE map (first seed)"),
                DoubleColumn.create("value", first.points().length, first.points()[0].length, inSpace.mean(),
                        baseStates.mean(), onMap),
                DoubleColumn.create("sd over seeds", 0, 0, inSpace.sd(), baseStates.sd(), Double.NaN));
        ExperimentResult result = new ExperimentResult(id(), title(), context, measured, measured);
        result.withFigure("tsne", ScatterPlot.create("t-SNE of per-image task vectors (measured, first seed)", tsne,
                "x", "y", "category"));
        result.withNote(String.format(Locale.ROOT, "The paper shows a picture only (distinct clusters). Measured over"
                + " %d seeds: a left-out task vector's nearest category centroid is its own category %.1f%% ± %.1f%% of"
                + " the time (chance is %.0f%%). The same test on the base model's hidden states, before any"
                + " fine-tuning, gives %.1f%% ± %.1f%%: %s", inSpace.n(), 100 * inSpace.mean(), 100 * inSpace.sd(),
                100.0 / track.tasks().size(), 100 * baseStates.mean(), 100 * baseStates.sd(),
                baseStates.mean() >= inSpace.mean() - 0.01 ? "the categories separate as well without the adapters,"
                        + " so the separation comes from the prompt and the pictures, not from what fine-tuning"
                        + " learnt." : "fine-tuning makes the categories more separable."));
        return result;
    }

    /** The per-scene hidden states of every task, as points with their category labels. */
    private record Samples(double[][] points, String[] labels) {}

    private static Samples samples(DetectionTrack track, ConditionKind kind) {
        List<double[]> points = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Task task : track.tasks()) {
            for (float[] sample : track.taskVectors().samples(task.id(), kind)) {
                double[] point = new double[sample.length];
                for (int i = 0; i < sample.length; i++) {
                    point[i] = sample[i];
                }
                points.add(point);
                labels.add(PaperNames.label(track, task.id()));
            }
        }
        return new Samples(points.toArray(double[][]::new), labels.toArray(String[]::new));
    }

    private static double accuracy(Samples samples) {
        return NearestCentroid.leaveOneOutAccuracy(samples.points(), samples.labels());
    }
}
