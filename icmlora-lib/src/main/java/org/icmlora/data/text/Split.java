package org.icmlora.data.text;

import java.util.Locale;
import org.icmlora.store.AtomicFiles;

/**
 * The three splits of a corpus and the rule that assigns a key to one of them.
 *
 * <p>The first 8 hex digits of SHA-256(key), read as a number modulo 100, go to train below 80, to validation below 90
 * and to test otherwise. The key is the smallest document id of a group of near-copies ({@link ContentSplit}), so a
 * document without near-copies goes where its own id says. The assignment is deterministic, needs no shuffling,
 * never separates near-copies, and does not move a group when unrelated documents are added or removed.
 */
public enum Split {
    TRAIN,
    VALIDATION,
    TEST;

    /** The split of {@code key} (a document id, or the smallest id of a group). */
    public static Split of(String key) {
        long bucket = Long.parseLong(AtomicFiles.sha256(key).substring(0, 8), 16) % 100;
        return bucket < 80 ? TRAIN : bucket < 90 ? VALIDATION : TEST;
    }

    /** Lower-case name, e.g. {@code "test"}: the key of the split in manifests. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** File name of the split in a prepared corpus, e.g. {@code test.jsonl}. */
    public String fileName() {
        return label() + ".jsonl";
    }
}
