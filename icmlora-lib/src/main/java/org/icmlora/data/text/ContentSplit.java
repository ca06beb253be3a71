package org.icmlora.data.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A corpus split into train, validation and test so that the text a model is scored on is not text it was trained
 * on, even where a corpus holds near-copies (templates and their samples, replies quoting mails, fortunes filed
 * twice). Four steps, all deterministic:
 *
 * <ol>
 *   <li>documents with identical text are kept once (the smallest id);</li>
 *   <li>near-copies are grouped ({@link NearCopyGroups});</li>
 *   <li>each group goes whole to the split of its smallest id ({@link Split#of}), so a document without near-copies
 *       keeps the split of its own id;</li>
 *   <li>every long line ({@link VerbatimLines}) of a validation or test document that also occurs in the training
 *       split, or in the outside text (the general pretraining corpus), is removed; a document left empty goes.</li>
 * </ol>
 * Step 4 catches what grouping leaves: boilerplate shared by too many documents to be evidence of copying (list
 * footers, separators) and copies too small to join two documents. The {@link Report} says how much each step did.
 *
 * @param documents the documents of each split, in id order
 * @param report    what deduplication did, for the manifest
 */
public record ContentSplit(Map<Split, List<TextDocument>> documents, Report report) {

    /** The method in one line, for manifests and definition hashes. */
    public static final String METHOD = "identical texts kept once; " + NearCopyGroups.METHOD + "; a group goes to "
            + "the split of its smallest id; validation and test lines of >= " + VerbatimLines.MIN_CHARS
            + " code points also in train or the general corpus removed";

    /**
     * What deduplication did.
     *
     * @param method              {@link #METHOD}
     * @param identicalDropped    documents dropped as identical to one with a smaller id
     * @param groups              groups of near-copies (including groups of one)
     * @param groupedDocuments    documents in groups of two or more
     * @param largestGroup        documents in the largest group
     * @param charactersRemoved   per split ({@code "validation"}, {@code "test"}): code points removed with copied
     *                            lines, line ends included
     * @param documentsEmptied    validation and test documents dropped because no line was left
     */
    public record Report(String method, int identicalDropped, int groups, int groupedDocuments, int largestGroup,
            Map<String, Long> charactersRemoved, int documentsEmptied) {}

    /** Splits {@code documents}; validation and test lose the long lines also found in {@code outsideLines}. */
    public static ContentSplit of(List<TextDocument> documents, Set<String> outsideLines) {
        Map<String, TextDocument> byText = new LinkedHashMap<>();
        documents.stream().sorted(Comparator.comparing(TextDocument::id)).forEach(d -> byText.putIfAbsent(d.text(), d));
        List<TextDocument> distinct = List.copyOf(byText.values());

        List<List<TextDocument>> groups = NearCopyGroups.of(distinct);
        Map<Split, List<TextDocument>> bySplit = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            bySplit.put(split, new ArrayList<>());
        }
        for (List<TextDocument> group : groups) {
            bySplit.get(Split.of(group.get(0).id())).addAll(group);
        }

        Set<String> seen = new HashSet<>(outsideLines);
        seen.addAll(VerbatimLines.of(bySplit.get(Split.TRAIN)));
        Map<String, Long> removed = new LinkedHashMap<>();
        int emptied = 0;
        for (Split split : List.of(Split.VALIDATION, Split.TEST)) {
            long characters = 0;
            List<TextDocument> kept = new ArrayList<>();
            for (TextDocument d : bySplit.get(split)) {
                TextDocument filtered = VerbatimLines.without(d, seen);
                characters += d.characters() - filtered.characters();
                if (filtered.text().isEmpty()) {
                    emptied++;
                } else {
                    kept.add(filtered);
                }
            }
            bySplit.put(split, kept);
            removed.put(split.label(), characters);
        }
        bySplit.values().forEach(list -> list.sort(Comparator.comparing(TextDocument::id)));
        Report report = new Report(METHOD, documents.size() - distinct.size(), groups.size(),
                (int) groups.stream().filter(g -> g.size() > 1).mapToLong(List::size).sum(),
                groups.stream().mapToInt(List::size).max().orElse(0), removed, emptied);
        return new ContentSplit(bySplit, report);
    }
}
