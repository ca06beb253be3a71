package org.icmlora.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Checks the real prepared corpora when {@code datasets/setup-text.sh} has made them; skipped otherwise. */
class PreparedRealCorporaTest {

    /** Most of a split's long-line characters that may occur verbatim in training or general text. */
    private static final double MAX_VERBATIM_SHARE = 0.02;

    @Test
    void everyRealCorpusVerifiesAndHasDisjointSplitsFromPinnedSources() {
        Path root = preparedRootOrSkip();
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

    /**
     * The contamination check of issue 14, measured independently of the preparer's own line rule: the share of a
     * test (and validation) split's characters in lines of at least 40 code points whose line occurs, character for
     * character, as a line of the corpus's training split or of the general corpus (any split; for the general corpus
     * itself, its training split). Prints every share.
     */
    @Test
    void noEvaluationSplitRepeatsTrainingOrGeneralText() {
        Path root = preparedRootOrSkip();
        Set<String> generalLines = lines(PreparedCorpus.load(root.resolve(TextCorpora.GENERAL)).allDocuments());
        List<String> failures = new ArrayList<>();
        for (TextCorpora.Definition definition : TextCorpora.all()) {
            PreparedCorpus corpus = PreparedCorpus.load(root.resolve(definition.id()));
            Set<String> reference = lines(corpus.documents(Split.TRAIN));
            if (!definition.id().equals(TextCorpora.GENERAL)) {
                reference.addAll(generalLines);
            }
            for (Split split : List.of(Split.VALIDATION, Split.TEST)) {
                long[] verbatim = verbatimCharacters(corpus.documents(split), reference);
                double share = verbatim[0] == 0 ? 0 : (double) verbatim[1] / verbatim[0];
                String line = String.format(Locale.ROOT, "%-10s %-10s %6.2f %% of %,d characters in long lines",
                        definition.id(), split.label(), 100 * share, verbatim[0]);
                System.out.println("verbatim share: " + line);
                if (share > MAX_VERBATIM_SHARE) {
                    failures.add(line);
                }
            }
        }
        assertTrue(failures.isEmpty(), "evaluation text copied from training or general text (more than "
                + 100 * MAX_VERBATIM_SHARE + " %): " + failures);
    }

    /** {characters in lines of >= 40 code points, of which in lines that are in {@code reference}}. */
    private static long[] verbatimCharacters(List<TextDocument> documents, Set<String> reference) {
        long all = 0;
        long copied = 0;
        for (TextDocument d : documents) {
            for (String line : d.text().split("\n", -1)) {
                int characters = line.codePointCount(0, line.length());
                if (characters >= 40) {
                    all += characters;
                    copied += reference.contains(line) ? characters : 0;
                }
            }
        }
        return new long[] {all, copied};
    }

    private static Set<String> lines(List<TextDocument> documents) {
        Set<String> lines = new HashSet<>();
        documents.forEach(d -> lines.addAll(List.of(d.text().split("\n", -1))));
        return lines;
    }

    private static Path preparedRootOrSkip() {
        Path root;
        try {
            root = TextDataLocation.preparedRoot();
        } catch (IllegalStateException e) {
            root = null;
        }
        Assumptions.assumeTrue(root != null && Files.isDirectory(root.resolve(TextCorpora.GENERAL)),
                "datasets/prepared/text is absent (run datasets/setup-text.sh)");
        return root;
    }
}
