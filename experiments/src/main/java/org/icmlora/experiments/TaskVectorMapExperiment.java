package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.icmlora.experiments.pipeline.PaperNames;
import org.icmlora.experiments.pipeline.Tracks;
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
        DetectionTrack track = Tracks.detection(context);
        List<double[]> points = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Task task : track.tasks()) {
            for (float[] sample : track.taskVectors().samples(task.id(), ConditionKind.FINE_TUNED_STATES)) {
                double[] point = new double[sample.length];
                for (int i = 0; i < sample.length; i++) {
                    point[i] = sample[i];
                }
                points.add(point);
                labels.add(PaperNames.label(track, task.id()));
            }
        }
        double[][] data = points.toArray(double[][]::new);
        double perplexity = Math.min(30, (data.length - 1) / 3.0);
        double[][] map = new TSNE(data, 2, perplexity, 200, 1000).coordinates;
        Table tsne = Table.create("t-SNE of task vectors",
                DoubleColumn.create("x", java.util.Arrays.stream(map).mapToDouble(p -> p[0]).toArray()),
                DoubleColumn.create("y", java.util.Arrays.stream(map).mapToDouble(p -> p[1]).toArray()),
                StringColumn.create("category", labels));
        String[] classes = labels.toArray(String[]::new);
        double inSpace = NearestCentroid.leaveOneOutAccuracy(data, classes);
        double onMap = NearestCentroid.leaveOneOutAccuracy(map, classes);
        Table measured = Table.create(title() + " (measured)",
                StringColumn.create("quantity", "samples", "task vector dimension",
                        "nearest-centroid accuracy (hidden states, leave-one-out)",
                        "nearest-centroid accuracy (t-SNE map, leave-one-out)"),
                DoubleColumn.create("value", data.length, data[0].length, inSpace, onMap));
        ExperimentResult result = new ExperimentResult(id(), title(), context, measured, measured);
        result.withFigure("tsne", ScatterPlot.create("t-SNE of per-image task vectors (measured)", tsne, "x", "y",
                "category"));
        result.withNote(String.format(Locale.ROOT, "The paper shows a picture only (distinct clusters). Measured: %d"
                + " task vectors; a left-out vector's nearest category centroid is its own category %.1f%% of the time"
                + " (%.1f%% on the 2-D map; chance is 20%%).", data.length, 100 * inSpace, 100 * onMap));
        return result;
    }
}
