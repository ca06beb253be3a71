package org.icmlora.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ContentSplitTest {

    private static final String COPIED = "This line was copied from a training document, word for word.";
    private static final String GENERAL = "This line also appears in the general corpus that pretrains the model.";

    /** The first id of the form {@code prefix + i} whose own split is {@code split}. */
    private static String idIn(Split split, String prefix) {
        return IntStream.range(0, 1_000).mapToObj(i -> prefix + i).filter(id -> Split.of(id) == split).findFirst()
                .orElseThrow();
    }

    private static Split splitOf(ContentSplit split, String id) {
        return split.documents().entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(d -> d.id().equals(id))).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError(id + " is in no split"));
    }

    @Test
    void nearCopiesGoToTheSplitOfTheGroupsSmallestId() {
        List<TextDocument> documents = new ArrayList<>();
        for (int family = 0; family < 40; family++) {
            String body = NearCopyGroupsTest.randomText(100 + family, 200);
            for (int copy = 0; copy < 3; copy++) {
                documents.add(new TextDocument("f" + family + "/" + copy, "Copy " + copy + "\n" + body));
            }
        }
        ContentSplit split = ContentSplit.of(documents, Set.of());
        assertEquals(40, split.report().groups());
        assertEquals(120, split.report().groupedDocuments());
        for (int family = 0; family < 40; family++) {
            Split expected = Split.of("f" + family + "/0");
            for (int copy = 0; copy < 3; copy++) {
                assertEquals(expected, splitOf(split, "f" + family + "/" + copy));
            }
        }
        assertTrue(split.documents().values().stream().allMatch(list -> !list.isEmpty()), "40 families fill 3 splits");
    }

    @Test
    void identicalTextsAreKeptOnceUnderTheSmallestId() {
        String text = NearCopyGroupsTest.randomText(1, 50);
        ContentSplit split = ContentSplit.of(List.of(new TextDocument("b", text), new TextDocument("a", text),
                new TextDocument("c", NearCopyGroupsTest.randomText(2, 50))), Set.of());
        assertEquals(1, split.report().identicalDropped());
        List<String> ids = split.documents().values().stream().flatMap(List::stream).map(TextDocument::id).sorted()
                .toList();
        assertEquals(List.of("a", "c"), ids);
    }

    @Test
    void evaluationLinesFoundInTrainingOrOutsideTextAreRemoved() {
        String trainId = idIn(Split.TRAIN, "train-");
        String testId = idIn(Split.TEST, "test-");
        String validationId = idIn(Split.VALIDATION, "validation-");
        String emptiedId = idIn(Split.TEST, "emptied-");
        List<TextDocument> documents = List.of(
                new TextDocument(trainId, NearCopyGroupsTest.randomText(1, 300) + "\n" + COPIED),
                new TextDocument(testId, NearCopyGroupsTest.randomText(2, 300) + "\n" + COPIED + "\nshort\n" + GENERAL),
                new TextDocument(validationId, "  " + COPIED + "\n" + NearCopyGroupsTest.randomText(3, 300)),
                new TextDocument(emptiedId, GENERAL));
        ContentSplit split = ContentSplit.of(documents, Set.of(GENERAL));

        assertTrue(split.documents().get(Split.TRAIN).get(0).text().endsWith(COPIED), "training text is kept whole");
        String test = split.documents().get(Split.TEST).get(0).text();
        assertEquals(NearCopyGroupsTest.randomText(2, 300) + "\nshort", test);
        String validation = split.documents().get(Split.VALIDATION).get(0).text();
        assertFalse(validation.contains(COPIED));
        assertEquals(1, split.documents().get(Split.TEST).size(), "a document with nothing left is dropped");
        assertEquals(1, split.report().documentsEmptied());
        long removedFromTest = COPIED.length() + GENERAL.length() + 2 // two lines and their line ends
                + GENERAL.length(); // the emptied document
        assertEquals(removedFromTest, split.report().charactersRemoved().get("test"));
        assertEquals(COPIED.length() + 3L, split.report().charactersRemoved().get("validation"));
    }

    @Test
    void theSplitIsDeterministic() {
        List<TextDocument> documents = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            documents.add(new TextDocument("d" + i, NearCopyGroupsTest.randomText(i % 45, 80)));
        }
        List<TextDocument> reversed = new ArrayList<>(documents);
        Collections.reverse(reversed);
        assertEquals(ContentSplit.of(documents, Set.of()), ContentSplit.of(reversed, Set.of()));
    }
}
