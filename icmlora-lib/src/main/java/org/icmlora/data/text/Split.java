package org.icmlora.data.text;

import java.util.Locale;
import org.icmlora.store.AtomicFiles;

/**
 * The three splits of a corpus and the rule that assigns a document to one of them.
 *
 * <p>The rule depends only on the document's id: the first 8 hex digits of SHA-256(id), read as a number modulo
 * 100, go to train below 80, to validation below 90 and to test otherwise. So the assignment is deterministic, needs
 * no shuffling, never splits a document, and does not change when other documents are added or removed.
 */
public enum Split {
    TRAIN,
    VALIDATION,
    TEST;

    /** The split of the document with this id. */
    public static Split of(String documentId) {
        long bucket = Long.parseLong(AtomicFiles.sha256(documentId).substring(0, 8), 16) % 100;
        return bucket < 80 ? TRAIN : bucket < 90 ? VALIDATION : TEST;
    }

    /** File name of the split in a prepared corpus, e.g. {@code test.jsonl}. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT) + ".jsonl";
    }
}
