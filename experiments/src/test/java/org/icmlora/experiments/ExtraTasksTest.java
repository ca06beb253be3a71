package org.icmlora.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.icmlora.engine.Profile;
import org.icmlora.experiments.pipeline.PaperNames;
import org.icmlora.experiments.pipeline.Tracks;
import org.icmlora.store.ArtifactStore;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.Task;
import org.icmlora.tracks.detection.DetectionTrack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extra tasks of the held-out experiment leave the tables as they are: the table tasks, the base model and the
 * table tasks' adapters keep their keys when the extras change; and the held-out settings reject what cannot work.
 */
class ExtraTasksTest {

    @TempDir
    Path dir;

    private RunContext context(String... overrides) {
        return RunContext.of(Profile.SMOKE, List.of(overrides), new ArtifactStore(dir), dir);
    }

    @Test
    void extraCategoriesAreTasksNoTableSeesAndChangeNothingOfTheTables() {
        DetectionTrack withExtras = Tracks.detection(context());
        DetectionTrack without = Tracks.detection(context("detection.extraCategories="));
        assertEquals(List.of("sneaker", "trouser", "bag", "dress", "sandal"),
                withExtras.tasks().stream().map(Task::id).toList());
        assertEquals(withExtras.tasks(), without.tasks());
        assertEquals(List.of("t-shirt", "pullover", "coat", "shirt", "ankle-boot"),
                withExtras.extraTasks().stream().map(Task::id).toList());
        assertEquals(List.of(), without.extraTasks());
        assertEquals(10, withExtras.allTasks().size());
        assertEquals("Detect the coat in the picture.", withExtras.task("coat").description());
        assertEquals(without.baseKey(), withExtras.baseKey(), "extras leave the base model (and its refusals) alone");
        assertEquals(withExtras.config().refusedCategories(), without.config().refusedCategories());
        for (Task task : without.tasks()) {
            assertEquals(without.adaptersKey(task.id(), 2), withExtras.adaptersKey(task.id(), 2), task.id());
        }
        assertEquals("sofa", PaperNames.of(withExtras, "dress"));
        assertEquals("coat", PaperNames.of(withExtras, "coat"), "an extra task keeps its own name");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> withExtras.task("umbrella"));
        assertTrue(unknown.getMessage().contains("ankle-boot"), "the error lists the extra tasks too");
    }

    @Test
    void aCategoryListedTwiceIsAClearError() {
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> context("detection.extraCategories=coat, dress"));
        assertTrue(twice.getMessage().contains("a category is listed twice"), twice.getMessage());
    }

    @Test
    void heldOutSettingsRejectConditionsThatNeedTheHeldOutAdapter() {
        assertEquals(List.of(ConditionKind.DESCRIPTION, ConditionKind.BASE_STATES),
                context("heldout.conditions=description, base-states").config().heldout().conditions());
        IllegalArgumentException fineTuned = assertThrows(IllegalArgumentException.class,
                () -> context("heldout.conditions=fine-tuned-states"));
        assertTrue(fineTuned.getMessage().contains("needs the held-out task's own adapter"), fineTuned.getMessage());
        assertThrows(IllegalArgumentException.class, () -> context("heldout.folds=1"));
        assertThrows(IllegalArgumentException.class, () -> context("heldout.languageTasks="));
    }

    @Test
    void heldOutFoldsFollowTheSettingsAndRejectAnUnknownTask() {
        RunContext context = context("heldout.folds=3", "heldout.detectionTasks=dress, sandal, t-shirt, pullover,"
                + " coat, shirt");
        DetectionTrack track = Tracks.detection(context);
        var folds = HeldOutExperiment.folds(context, track);
        assertEquals(List.of(List.of("dress", "pullover"), List.of("sandal", "coat"), List.of("t-shirt", "shirt")),
                folds.stream().map(f -> f.heldOut()).toList());
        assertEquals(8, folds.get(0).training().size());
        RunContext unknown = context("heldout.detectionTasks=dress, umbrella");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> HeldOutExperiment.folds(unknown, Tracks.detection(unknown)));
        assertTrue(error.getMessage().startsWith("held-out task 'umbrella' is not a task of the track"),
                error.getMessage());
    }
}
