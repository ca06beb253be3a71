package org.icmlora.data.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.LongStream;

/**
 * Groups a corpus's documents into families of near-copies, so that a split can keep each family on one side (the
 * LaTeX samples of one class, the yearly versions of a conference template, a mail quoted in full by its reply).
 *
 * <p>Method: every document is cut into <em>shingles</em>, the runs of {@value #SHINGLE_WORDS} consecutive
 * white-space separated words (a document with fewer words is one shingle). A shingle found in more than
 * {@value #BOILERPLATE_DOCUMENTS} documents is boilerplate (a list footer, a licence sentence, a formula every
 * template repeats) and is ignored: it says nothing about two documents being copies of each other. Two documents
 * are near-copies when they share at least {@link #MIN_CONTAINMENT} of the non-boilerplate shingles of the smaller
 * one (containment, not Jaccard similarity, so a short sample inside a long manual counts). Near-copy pairs are
 * joined transitively (union-find): a group is a connected family.
 *
 * <p>Why this and not MinHash or shared lines: the corpora are small (at most a few thousand documents, about a
 * million shingles), so an exact inverted index costs about a second and needs no approximation or random seed;
 * word shingles see copies whose lines were re-wrapped or lightly edited, which line hashes miss; containment sees
 * a document copied into a longer one, which Jaccard similarity (what MinHash estimates) dilutes. Shingles are
 * compared by a 64-bit hash (FNV-1a per word, chained through the SplitMix64 finalizer), of which the index keeps 44
 * bits: a chance collision (about 0.04 expected in a million shingles) can add one shared shingle to one pair, far
 * below any threshold.
 */
public final class NearCopyGroups {

    /** Words per shingle. */
    static final int SHINGLE_WORDS = 8;
    /** A shingle in more documents than this is boilerplate. */
    static final int BOILERPLATE_DOCUMENTS = 20;
    /** Share of the smaller document's shingles two near-copies have in common, at least. */
    static final double MIN_CONTAINMENT = 0.1;

    /** The parameters in one line, for manifests and definition hashes. */
    static final String METHOD = String.format(Locale.ROOT, "near-copies: %d-word shingles, boilerplate in > %d "
            + "documents ignored, containment >= %.2f, union-find", SHINGLE_WORDS, BOILERPLATE_DOCUMENTS,
            MIN_CONTAINMENT);

    private static final int DOCUMENT_BITS = 20;
    private static final long DOCUMENT_MASK = (1L << DOCUMENT_BITS) - 1;

    private NearCopyGroups() {}

    /**
     * The groups of {@code documents}: every document in exactly one group, members in id order, groups in order of
     * their first id. A document without near-copies is a group of one.
     */
    public static List<List<TextDocument>> of(List<TextDocument> documents) {
        int n = documents.size();
        if (n > DOCUMENT_MASK) {
            throw new IllegalArgumentException("near-copy grouping indexes at most " + DOCUMENT_MASK
                    + " documents, got " + n);
        }
        long[] postings = postings(documents);
        int[] ownShingles = new int[n]; // non-boilerplate shingles per document
        LongStream.Builder pairs = LongStream.builder(); // (a << 32 | b), a < b, once per shared shingle
        for (int start = 0; start < postings.length; ) {
            int end = start + 1;
            while (end < postings.length && shingle(postings[end]) == shingle(postings[start])) {
                end++;
            }
            if (end - start <= BOILERPLATE_DOCUMENTS) {
                for (int i = start; i < end; i++) {
                    ownShingles[document(postings[i])]++;
                    for (int j = i + 1; j < end; j++) {
                        pairs.add((long) document(postings[i]) << 32 | document(postings[j]));
                    }
                }
            }
            start = end;
        }
        int[] parent = new int[n];
        Arrays.setAll(parent, i -> i);
        long[] sorted = pairs.build().sorted().toArray();
        for (int start = 0; start < sorted.length; ) {
            int end = start + 1;
            while (end < sorted.length && sorted[end] == sorted[start]) {
                end++;
            }
            int a = (int) (sorted[start] >>> 32);
            int b = (int) (sorted[start] & 0xFFFFFFFFL);
            if (end - start >= MIN_CONTAINMENT * Math.min(ownShingles[a], ownShingles[b])) {
                parent[root(parent, a)] = root(parent, b);
            }
            start = end;
        }
        TreeMap<Integer, List<TextDocument>> byRoot = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            byRoot.computeIfAbsent(root(parent, i), r -> new ArrayList<>()).add(documents.get(i));
        }
        return byRoot.values().stream()
                .map(g -> g.stream().sorted(Comparator.comparing(TextDocument::id)).toList())
                .sorted(Comparator.comparing(g -> g.get(0).id()))
                .toList();
    }

    /** Sorted (shingle hash, document) postings, each document's distinct shingles once. */
    private static long[] postings(List<TextDocument> documents) {
        LongStream.Builder postings = LongStream.builder();
        for (int d = 0; d < documents.size(); d++) {
            String text = documents.get(d).text().strip();
            if (text.isEmpty()) {
                continue;
            }
            long[] words = Arrays.stream(text.split("\\s+")).mapToLong(NearCopyGroups::fnv1a).toArray();
            int shingles = Math.max(1, words.length - SHINGLE_WORDS + 1);
            long document = d;
            LongStream.range(0, shingles)
                    .map(start -> hash(words, (int) start, Math.min(words.length, (int) start + SHINGLE_WORDS)))
                    .distinct()
                    .forEach(h -> postings.add(h & ~DOCUMENT_MASK | document));
        }
        return postings.build().sorted().toArray();
    }

    /** The hash of the shingle {@code words[from, to)}: each word's hash mixed into the running one in order. */
    private static long hash(long[] words, int from, int to) {
        long h = 0;
        for (int i = from; i < to; i++) {
            h = mix(h ^ words[i]);
        }
        return h;
    }

    /** The SplitMix64 finalizer: a bijection whose every output bit depends on every input bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** 64-bit FNV-1a of a word's UTF-16 code units. */
    private static long fnv1a(String word) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < word.length(); i++) {
            h = (h ^ word.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    private static long shingle(long posting) {
        return posting & ~DOCUMENT_MASK;
    }

    private static int document(long posting) {
        return (int) (posting & DOCUMENT_MASK);
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
