package org.icmlora.data.text;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.DiskUsage;

/**
 * A prepared corpus on disk: {@code <dir>/train.jsonl}, {@code validation.jsonl}, {@code test.jsonl} (one JSON object
 * {@code {"id":..., "text":...}} per line, documents in id order; splits content-disjoint by {@link ContentSplit})
 * and {@code manifest.json} describing where the text came from, what deduplication did, and checksumming every
 * split file. {@link #load} verifies the checksums, so a split file changed after
 * preparation is an error, not silently different data.
 */
public final class PreparedCorpus {

    /** Name of the manifest file. */
    public static final String MANIFEST = "manifest.json";

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();
    private static final Gson LINE = new GsonBuilder().disableHtmlEscaping().create();

    private final Path dir;
    private final Manifest manifest;

    /** Statistics of one split file. */
    public record SplitStats(String file, int documents, long characters, long bytes, String sha256) {}

    /** A source package that went into the corpus, with the files read from it. */
    public record SourceUse(String name, String version, List<RawPackage.SourceFile> files) {}

    /**
     * What {@code manifest.json} holds.
     *
     * @param corpus      corpus id, e.g. {@code "books"}
     * @param description what the corpus stands in for and how it was cleaned
     * @param definition  hash of everything that defines the preparation (sources, versions, caps, rules): a
     *                    prepared corpus with another definition hash is stale
     * @param sources     packages and files read
     * @param splits      per split: file, documents, characters (code points), bytes, SHA-256
     * @param deduplication what making the splits content-disjoint did ({@link ContentSplit})
     */
    public record Manifest(String corpus, String description, String definition, List<SourceUse> sources,
            Map<String, SplitStats> splits, ContentSplit.Report deduplication) {}

    private PreparedCorpus(Path dir, Manifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /**
     * Splits {@code documents} by {@link ContentSplit#of} with no outside text and writes them (test fixtures; the
     * preparer passes the general corpus's lines).
     */
    public static PreparedCorpus write(Path dir, String corpus, String description, String definition,
            List<SourceUse> sources, List<TextDocument> documents) {
        return write(dir, corpus, description, definition, sources, ContentSplit.of(documents, Set.of()));
    }

    /** Writes the split files, then the manifest (every file atomically, manifest last: no manifest, no corpus). */
    public static PreparedCorpus write(Path dir, String corpus, String description, String definition,
            List<SourceUse> sources, ContentSplit split) {
        Map<String, SplitStats> stats = new TreeMap<>();
        for (Split s : Split.values()) {
            List<TextDocument> docs = split.documents().get(s);
            Path file = dir.resolve(s.fileName());
            AtomicFiles.write(file, out -> {
                BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                for (TextDocument d : docs) {
                    writer.write(LINE.toJson(d)); // record order: id, text
                    writer.write('\n');
                }
                writer.flush();
            });
            stats.put(s.label(), new SplitStats(s.fileName(), docs.size(),
                    docs.stream().mapToLong(TextDocument::characters).sum(), DiskUsage.bytes(file),
                    AtomicFiles.sha256(file)));
        }
        Manifest manifest = new Manifest(corpus, description, definition, sources, stats, split.report());
        AtomicFiles.writeString(dir.resolve(MANIFEST), GSON.toJson(manifest));
        return new PreparedCorpus(dir, manifest);
    }

    /** Opens the prepared corpus in {@code dir}, checking every split file against the manifest. */
    public static PreparedCorpus load(Path dir) {
        Path file = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no prepared corpus in " + dir + " (" + MANIFEST
                    + " missing); run datasets/setup-text.sh");
        }
        Manifest manifest;
        try {
            manifest = GSON.fromJson(Files.readString(file), Manifest.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(file + " is not a readable corpus manifest; rerun datasets/setup-text.sh", e);
        }
        PreparedCorpus corpus = new PreparedCorpus(dir, manifest);
        corpus.verify();
        return corpus;
    }

    /** Checks every split file's size and SHA-256 against the manifest; a mismatch names the file. */
    public void verify() {
        for (SplitStats stats : manifest.splits().values()) {
            Path file = dir.resolve(stats.file());
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(file + " is listed in " + dir.resolve(MANIFEST)
                        + " but missing; rerun datasets/setup-text.sh");
            }
            if (DiskUsage.bytes(file) != stats.bytes() || !AtomicFiles.sha256(file).equals(stats.sha256())) {
                throw new IllegalStateException(file + " does not match the SHA-256 in its manifest: it changed after "
                        + "preparation; delete " + dir + " and rerun datasets/setup-text.sh");
            }
        }
    }

    /** The manifest. */
    public Manifest manifest() {
        return manifest;
    }

    /** The documents of every split, train first. */
    public List<TextDocument> allDocuments() {
        List<TextDocument> all = new ArrayList<>();
        for (Split split : Split.values()) {
            all.addAll(documents(split));
        }
        return all;
    }

    /** The documents of one split, in id order. */
    public List<TextDocument> documents(Split split) {
        Path file = dir.resolve(split.fileName());
        try {
            List<TextDocument> docs = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isEmpty()) {
                    docs.add(LINE.fromJson(line, TextDocument.class));
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

}
