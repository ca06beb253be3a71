package org.icmlora.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NearCopyGroupsTest {

    /** {@code words} random words from a 5,000-word vocabulary, 10 a line. */
    static String randomText(long seed, int words) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append("w").append(random.nextInt(5_000)).append(i % 10 == 9 ? "\n" : " ");
        }
        return text.toString().strip();
    }

    private static List<List<String>> ids(List<List<TextDocument>> groups) {
        return groups.stream().map(g -> g.stream().map(TextDocument::id).toList()).toList();
    }

    @Test
    void aRewrappedAndEditedCopyJoinsItsOriginalAndUnrelatedDocumentsStayApart() {
        String original = randomText(1, 300);
        String[] words = original.split("\\s+");
        for (int i = 0; i < words.length; i += 20) {
            words[i] = "edited";
        }
        String copy = "A new title for the copy\n" + String.join(" ", words); // one line, every 20th word changed
        List<TextDocument> documents = List.of(new TextDocument("a", original), new TextDocument("b", randomText(2, 300)),
                new TextDocument("c", copy), new TextDocument("d", randomText(3, 300)));
        assertEquals(List.of(List.of("a", "c"), List.of("b"), List.of("d")), ids(NearCopyGroups.of(documents)));
    }

    @Test
    void aShortDocumentInsideALongOneIsANearCopy() {
        String sample = randomText(4, 60);
        String manual = randomText(5, 2_000) + "\n" + sample + "\n" + randomText(6, 2_000);
        // Jaccard similarity of the two shingle sets is about 1 %, containment of the sample 100 %
        List<TextDocument> documents = List.of(new TextDocument("manual", manual), new TextDocument("sample", sample));
        assertEquals(List.of(List.of("manual", "sample")), ids(NearCopyGroups.of(documents)));
    }

    @Test
    void sharingLessThanTheContainmentThresholdKeepsDocumentsApart() {
        String shared = randomText(7, 20); // 13 shingles shared, about 3 % of 400 words
        List<TextDocument> documents = List.of(new TextDocument("a", randomText(8, 400) + "\n" + shared),
                new TextDocument("b", shared + "\n" + randomText(9, 400)));
        assertEquals(2, NearCopyGroups.of(documents).size());
    }

    @Test
    void boilerplateSharedByManyDocumentsLinksNone() {
        String footer = "This list is sponsored by a company that sells things, visit its web site today\n"
                + "and read the list's rules and the archives before you post your question to everyone";
        List<TextDocument> documents = new ArrayList<>();
        for (int i = 0; i < NearCopyGroups.BOILERPLATE_DOCUMENTS + 1; i++) {
            documents.add(new TextDocument("m" + (char) ('a' + i), randomText(10 + i, 20) + "\n" + footer));
        }
        assertEquals(documents.size(), NearCopyGroups.of(documents).size());
        // the same footer in few documents is evidence of copying: short messages that are mostly footer group
        assertEquals(1, NearCopyGroups.of(documents.subList(0, 3)).size());
    }

    @Test
    void nearCopiesAreJoinedTransitivelyAndTheResultIgnoresInputOrder() {
        String left = randomText(40, 200);
        String middle = randomText(41, 200);
        String right = randomText(42, 200);
        List<TextDocument> documents = new ArrayList<>(List.of(new TextDocument("x", left + "\n" + middle),
                new TextDocument("y", middle + "\n" + right), new TextDocument("z", right),
                new TextDocument("solo", randomText(43, 100)), new TextDocument("empty", "")));
        List<List<String>> expected = List.of(List.of("empty"), List.of("solo"), List.of("x", "y", "z"));
        assertEquals(expected, ids(NearCopyGroups.of(documents)));
        Collections.reverse(documents);
        assertEquals(expected, ids(NearCopyGroups.of(documents)));
    }
}
