package org.icmlora.models.gpt;

import java.nio.charset.StandardCharsets;

/**
 * The default tokenizer: one token per UTF-8 byte, 256 ids, nothing to train or download. For pure ASCII text one
 * token is one character, so BPC equals the mean cross-entropy per token in bits.
 */
public final class ByteTokenizer implements Tokenizer {

    @Override
    public String id() {
        return "bytes";
    }

    @Override
    public int vocabSize() {
        return 256;
    }

    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        byte[] bytes = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] > 255) {
                throw new IllegalArgumentException("byte token ids are 0..255, got " + ids[i] + " at " + i);
            }
            bytes[i] = (byte) ids[i];
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
