package org.icmlora.experiments.heldout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskFoldsTest {

    private static final List<String> TASKS = List.of("a", "b", "c", "d", "e", "f", "g");

    @Test
    void heldOutTaskIGoesToFoldIModKAndEveryOtherTaskTrains() {
        List<TaskFolds.Fold> folds = TaskFolds.of(TASKS, List.of("b", "c", "d", "e", "f"), 2);
        assertEquals(2, folds.size());
        assertEquals(List.of("b", "d", "f"), folds.get(0).heldOut());
        assertEquals(List.of("a", "c", "e", "g"), folds.get(0).training());
        assertEquals(List.of("c", "e"), folds.get(1).heldOut());
        assertEquals(List.of("a", "b", "d", "f", "g"), folds.get(1).training());
        for (TaskFolds.Fold fold : folds) {
            fold.heldOut().forEach(task -> assertFalse(fold.training().contains(task), task));
            assertEquals(TASKS.size(), fold.heldOut().size() + fold.training().size());
        }
    }

    @Test
    void asManyFoldsAsTasksOrMoreIsLeaveOneOut() {
        List<TaskFolds.Fold> folds = TaskFolds.of(TASKS, List.of("a", "g", "c"), 10);
        assertEquals(3, folds.size());
        assertEquals(List.of(List.of("a"), List.of("g"), List.of("c")), folds.stream().map(TaskFolds.Fold::heldOut)
                .toList());
        assertEquals(List.of("a", "b", "d", "e", "f", "g"), folds.get(2).training());
    }

    @Test
    void badHeldOutListsAreClearErrors() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> TaskFolds.of(TASKS, List.of("a", "x"), 2));
        assertTrue(unknown.getMessage().startsWith("held-out task 'x' is not a task of the track"),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TaskFolds.of(TASKS, List.of("a", "a"), 2));
        assertThrows(IllegalArgumentException.class, () -> TaskFolds.of(List.of("a", "b"), List.of("a", "b"), 2));
        assertThrows(IllegalArgumentException.class, () -> TaskFolds.of(TASKS, List.of(), 2));
    }
}
