package org.icmlora.experiments.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.icmlora.eval.LanguageModelScore;
import org.icmlora.lora.CheckpointSeries;
import org.icmlora.lora.LoraLayout;
import org.icmlora.models.text.MiniLmEncoder;
import org.icmlora.store.StageKey;
import org.icmlora.tracks.language.LanguageTrack;

/**
 * The language track's five text domains as a {@link TaskSuite}; each stands in for the Pile subset in the same
 * position of {@link #PAPER_DOMAINS}. The
 * hidden-state task vector is Eq. 1 on the domain's fine-tuned GPT; the text task vector is the MiniLM embedding of a
 * one-line description of the domain, the counterpart of the detection prompts.
 */
public final class LanguageSuite implements TaskSuite {

    /** The paper's Pile subsets, in the order of its Table 2. */
    public static final List<String> PAPER_DOMAINS = List.of("ArXiv", "Books", "Ubuntu", "Wikipedia", "Gutenberg");

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "ArXiv", "Model the text of scientific papers written in LaTeX.",
            "Books", "Model the text of English fiction books.",
            "Ubuntu", "Model the text of Linux support chats and mailing lists.",
            "Wikipedia", "Model the text of encyclopedia articles about computing.",
            "Gutenberg", "Model the text of classic public-domain novels.");

    private final LanguageTrack track;
    private final Map<String, float[]> textVectors = new LinkedHashMap<>();

    public LanguageSuite(LanguageTrack track) {
        if (track.domains().size() != PAPER_DOMAINS.size()) {
            throw new IllegalArgumentException("the language track must have " + PAPER_DOMAINS.size()
                    + " domains to stand in for the paper's, it has " + track.domains());
        }
        this.track = track;
    }

    @Override
    public String track() {
        return "language";
    }

    @Override
    public List<String> tasks() {
        return track.domains();
    }

    @Override
    public String paperName(String task) {
        int index = tasks().indexOf(task);
        if (index < 0) {
            throw new IllegalArgumentException("no language task '" + task + "'; the tasks are " + tasks());
        }
        return PAPER_DOMAINS.get(index);
    }

    @Override
    public LoraLayout layout(int rank) {
        return track.layout(rank);
    }

    @Override
    public CheckpointSeries adapters(String task, int rank) {
        return track.adapterSeries(task, rank);
    }

    @Override
    public StageKey adaptersKey(String task, int rank) {
        return track.seriesKey(task, rank);
    }

    @Override
    public float[] taskVector(String task, Condition condition) {
        return switch (condition) {
            case HIDDEN_STATE -> track.taskVector(task).mean();
            case TEXT -> textVector(task);
            case BOTH -> DetectionSuite.concat(track.taskVector(task).mean(), textVector(task));
        };
    }

    @Override
    public float[][] taskVectorSamples(String task) {
        return track.taskVector(task).samples();
    }

    @Override
    public Map<String, Double> evaluate(String task, LoraLayout layout, float[] vector) {
        LanguageModelScore score = track.evaluate(task, layout, vector);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("ppl", score.perplexity());
        metrics.put("bpc", score.bitsPerCharacter());
        return metrics;
    }

    @Override
    public List<String> metrics() {
        return List.of("ppl", "bpc");
    }

    private synchronized float[] textVector(String task) {
        return textVectors.computeIfAbsent(task, t -> {
            String description = DESCRIPTIONS.get(paperName(t));
            try (MiniLmEncoder encoder = new MiniLmEncoder()) {
                return encoder.embed(description);
            }
        });
    }
}
