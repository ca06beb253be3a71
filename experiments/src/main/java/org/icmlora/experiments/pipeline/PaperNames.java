package org.icmlora.experiments.pipeline;

import java.util.List;
import java.util.Map;
import org.icmlora.tracks.Task;
import org.icmlora.tracks.Track;

/**
 * Which of the kit's tasks stands in for which of the paper's, by position: the detection track's tasks in table order
 * stand in for the paper's dog, bicycle, cat (known to the base model) and sofa, motorbike (never seen); the language
 * track's five domains for the Pile subsets of its Table 2.
 */
public final class PaperNames {

    private static final Map<String, List<String>> BY_TRACK = Map.of(
            "detection", List.of("dog", "bicycle", "cat", "sofa", "motorbike"),
            "language", List.of("ArXiv", "Books", "Ubuntu", "Wikipedia", "Gutenberg"));

    private PaperNames() {}

    /**
     * The paper's name for {@code task} of {@code track} (e.g. "dog" for the first detection task); a task no table
     * has (an extra task) keeps its own name.
     */
    public static String of(Track track, String task) {
        List<String> ids = track.tasks().stream().map(Task::id).toList();
        int index = ids.indexOf(track.task(task).id());
        List<String> paper = names(track);
        return index >= 0 && index < paper.size() ? paper.get(index) : task;
    }

    /** The kit's task standing in for the paper's {@code paperName} ("cat" -> the third detection task). */
    public static String taskFor(Track track, String paperName) {
        int index = names(track).indexOf(paperName);
        if (index < 0 || index >= track.tasks().size()) {
            throw new IllegalArgumentException("no " + track.id() + " task stands in for '" + paperName + "'; the"
                    + " paper's are " + names(track) + " and the track has " + track.tasks().size() + " tasks");
        }
        return track.tasks().get(index).id();
    }

    /** "dog (sneaker)": the paper's name with the kit's task. */
    public static String label(Track track, String task) {
        return of(track, task) + " (" + task + ")";
    }

    private static List<String> names(Track track) {
        List<String> names = BY_TRACK.get(track.id());
        if (names == null) {
            throw new IllegalArgumentException("the paper has no table for track '" + track.id() + "'");
        }
        return names;
    }
}
