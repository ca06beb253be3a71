package org.icmlora.models.gpt;

/**
 * Turns text into the token ids a {@link Gpt} reads and back. PPL depends on the tokenizer, so every reported PPL
 * names the tokenizer's {@link #id()}; BPC does not (it divides by characters).
 */
public interface Tokenizer {

    /** Short name for reports and cache keys, e.g. {@code "bytes"} or {@code "hf:<sha256 of tokenizer.json>"}. */
    String id();

    /** Number of distinct ids; every id is in {@code [0, vocabSize())}. */
    int vocabSize();

    /** The ids of {@code text}, without special tokens. */
    int[] encode(String text);

    /** The text of {@code ids}. */
    String decode(int[] ids);
}
