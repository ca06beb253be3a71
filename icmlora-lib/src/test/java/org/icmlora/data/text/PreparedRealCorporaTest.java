package org.icmlora.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Checks the real prepared corpora when {@code datasets/setup-text.sh} has made them; skipped otherwise. */
class PreparedRealCorporaTest {

    @Test
    void everyRealCorpusVerifiesAndHasDisjointSplitsFromPinnedSources() {
        Path root;
        try {
            root = TextDataLocation.preparedRoot();
        } catch (IllegalStateException e) {
            root = null;
        }
        Assumptions.assumeTrue(root != null && Files.isDirectory(root.resolve(TextCorpora.GENERAL)),
                "datasets/prepared/text is absent (run datasets/setup-text.sh)");
        for (TextCorpora.Definition definition : TextCorpora.all()) {
            PreparedCorpus corpus = PreparedCorpus.load(root.resolve(definition.id()));
            assertEquals(definition.hash(), corpus.manifest().definition(), definition.id() + " is stale");
            Set<String> ids = new HashSet<>();
            for (Split split : Split.values()) {
                var documents = corpus.documents(split);
                assertTrue(documents.size() >= 5, definition.id() + " " + split + " has " + documents.size());
                documents.forEach(d -> assertTrue(ids.add(d.id()), d.id() + " appears twice"));
            }
            for (PreparedCorpus.SourceUse source : corpus.manifest().sources()) {
                assertEquals(TextCorpora.PINNED.get(source.name()), source.version());
                assertTrue(!source.files().isEmpty(), source.name() + " lists no files");
            }
        }
    }
}
