package org.icmlora.data.text;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the text corpora from the unpacked source packages: {@code java ... TextDataPreparer <raw> <prepared>}
 * (what {@code datasets/setup-text.sh} runs). A corpus whose manifest has the current definition hash and whose files
 * verify is left alone, so rerunning costs a few checksums; anything else is rebuilt from the sources.
 */
public final class TextDataPreparer {

    private static final Logger LOG = LoggerFactory.getLogger(TextDataPreparer.class);

    private TextDataPreparer() {}

    /** Arguments: raw root (e.g. {@code datasets/raw}), prepared root (e.g. {@code datasets/prepared/text}). */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: TextDataPreparer <raw-dir> <prepared-text-dir>");
            System.exit(2);
        }
        prepareAll(Paths.get(args[0]), Paths.get(args[1]));
    }

    /**
     * Prepares (or reuses) every corpus; returns them in {@link TextCorpora#all()} order. The general corpus comes
     * first: the long lines of all its splits are removed from every domain's validation and test documents.
     */
    public static List<PreparedCorpus> prepareAll(Path rawRoot, Path preparedRoot) {
        PreparedCorpus general = prepare(TextCorpora.definition(TextCorpora.GENERAL), rawRoot,
                preparedRoot.resolve(TextCorpora.GENERAL), Set.of());
        Set<String> generalLines = VerbatimLines.of(general.allDocuments());
        List<PreparedCorpus> all = new ArrayList<>(List.of(general));
        for (TextCorpora.Definition d : TextCorpora.all()) {
            if (!d.id().equals(TextCorpora.GENERAL)) {
                all.add(prepare(d, rawRoot, preparedRoot.resolve(d.id()), generalLines));
            }
        }
        return all;
    }

    /**
     * Prepares one corpus into {@code dir}, or reuses it when it is current and intact; {@code outsideLines} are
     * long-line keys ({@link VerbatimLines}) removed from its validation and test documents.
     */
    public static PreparedCorpus prepare(TextCorpora.Definition definition, Path rawRoot, Path dir,
            Set<String> outsideLines) {
        if (Files.isRegularFile(dir.resolve(PreparedCorpus.MANIFEST))) {
            try {
                PreparedCorpus existing = PreparedCorpus.load(dir);
                if (existing.manifest().definition().equals(definition.hash())) {
                    LOG.info("corpus {} is prepared and intact in {}", definition.id(), dir);
                    return existing;
                }
                LOG.info("corpus {} was prepared under another definition; rebuilding", definition.id());
            } catch (IllegalStateException e) {
                LOG.warn("corpus {} failed its check ({}); rebuilding", definition.id(), e.getMessage());
            }
        }
        long start = System.nanoTime();
        TextCorpora.Sources sources = new TextCorpora.Sources(rawRoot);
        List<TextDocument> documents = TextCorpora.capped(definition, definition.reader().apply(sources));
        if (documents.size() < 20) {
            throw new IllegalStateException("corpus " + definition.id() + " yields only " + documents.size()
                    + " documents from " + rawRoot + "; the sources are incomplete, rerun datasets/setup-text.sh");
        }
        ContentSplit split = ContentSplit.of(documents, outsideLines);
        PreparedCorpus corpus = PreparedCorpus.write(dir, definition.id(), definition.description(),
                definition.hash(), sources.used(), split);
        ContentSplit.Report report = split.report();
        LOG.info("corpus {}: {} identical documents dropped; {} groups, {} documents with near-copies (largest group "
                + "{}); copied lines removed: {} characters, {} documents emptied", definition.id(),
                report.identicalDropped(), report.groups(), report.groupedDocuments(), report.largestGroup(),
                report.charactersRemoved(), report.documentsEmptied());
        corpus.manifest().splits().forEach((name, s) -> LOG.info("corpus {} {}: {} documents, {} characters",
                definition.id(), name, s.documents(), s.characters()));
        LOG.info("corpus {} prepared in {}", definition.id(),
                String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9));
        return corpus;
    }
}
