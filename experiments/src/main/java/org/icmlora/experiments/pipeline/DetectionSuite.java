package org.icmlora.experiments.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.icmlora.data.scenes.Garment;
import org.icmlora.lora.CheckpointSeries;
import org.icmlora.lora.LoraLayout;
import org.icmlora.store.StageKey;
import org.icmlora.tracks.detection.DetectionEvaluation;
import org.icmlora.tracks.detection.DetectionTrack;

/**
 * The detection track's five categories as a {@link TaskSuite}. The kit's categories stand in for the paper's in
 * table order: the three the base model knows (paper: dog, bicycle, cat) and the two it never saw (sofa, motorbike).
 */
public final class DetectionSuite implements TaskSuite {

    /** The paper's categories, in the order of its Table 1. */
    public static final List<String> PAPER_CATEGORIES = List.of("dog", "bicycle", "cat", "sofa", "motorbike");

    private final DetectionTrack track;

    public DetectionSuite(DetectionTrack track) {
        this.track = track;
        if (track.categories().size() != PAPER_CATEGORIES.size()) {
            throw new IllegalArgumentException("the detection track must have " + PAPER_CATEGORIES.size()
                    + " task categories to stand in for the paper's, it has " + track.categories());
        }
    }

    /** The track behind this suite (for pictures and per-sample vectors). */
    public DetectionTrack detection() {
        return track;
    }

    @Override
    public String track() {
        return "detection";
    }

    @Override
    public List<String> tasks() {
        return track.categories().stream().map(Garment::id).toList();
    }

    @Override
    public String paperName(String task) {
        return PAPER_CATEGORIES.get(tasks().indexOf(category(task).id()));
    }

    /** The kit's task standing in for the paper's category {@code paperCategory} ("dog" -> the first task). */
    public String taskFor(String paperCategory) {
        int index = PAPER_CATEGORIES.indexOf(paperCategory);
        if (index < 0) {
            throw new IllegalArgumentException("no paper category '" + paperCategory + "'; the paper's are "
                    + PAPER_CATEGORIES);
        }
        return tasks().get(index);
    }

    @Override
    public LoraLayout layout(int rank) {
        return track.layout(rank);
    }

    @Override
    public CheckpointSeries adapters(String task, int rank) {
        return track.adapterSeries(category(task), rank);
    }

    @Override
    public StageKey adaptersKey(String task, int rank) {
        return track.adapterKey(category(task), rank);
    }

    @Override
    public float[] taskVector(String task, Condition condition) {
        Garment category = category(task);
        return switch (condition) {
            case HIDDEN_STATE -> track.visionTaskVector(category);
            case TEXT -> track.textTaskVector(category);
            case BOTH -> concat(track.visionTaskVector(category), track.textTaskVector(category));
        };
    }

    @Override
    public float[][] taskVectorSamples(String task) {
        return track.visionSampleVectors(category(task));
    }

    /** The category behind a task id. */
    public Garment category(String task) {
        return track.categories().stream().filter(g -> g.id().equals(task)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no detection task '" + task + "'; the tasks are " + tasks()));
    }

    @Override
    public Map<String, Double> evaluate(String task, LoraLayout layout, float[] vector) {
        DetectionEvaluation evaluation = track.evaluate(category(task), layout, vector);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("map50", evaluation.map50());
        metrics.put("map75", evaluation.map75());
        return metrics;
    }

    @Override
    public List<String> metrics() {
        return List.of("map50", "map75");
    }

    static float[] concat(float[] first, float[] second) {
        float[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
