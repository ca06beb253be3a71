package org.icmlora.models.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {

    @TempDir
    Path dir;

    @Test
    void bytesRoundTripIncludingMultiByteCharacters() {
        ByteTokenizer bytes = new ByteTokenizer();
        int[] ids = bytes.encode("aé€");
        assertArrayEquals(new int[] {97, 0xC3, 0xA9, 0xE2, 0x82, 0xAC}, ids);
        assertEquals("aé€", bytes.decode(ids));
        assertEquals(256, bytes.vocabSize());
    }

    @Test
    void huggingFaceTokenizerJsonIsLoadedThroughDjl() throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, """
                {"version": "1.0", "truncation": null, "padding": null,
                 "added_tokens": [{"id": 5, "content": "[UNK]", "single_word": false, "lstrip": false,
                                   "rstrip": false, "normalized": false, "special": true}],
                 "normalizer": null,
                 "pre_tokenizer": {"type": "Whitespace"},
                 "post_processor": null,
                 "decoder": null,
                 "model": {"type": "WordLevel", "unk_token": "[UNK]",
                           "vocab": {"the": 0, "cat": 1, "sat": 2, "on": 3, "mat": 4, "[UNK]": 5}}}
                """);
        try (HuggingFaceTextTokenizer tokenizer = HuggingFaceTextTokenizer.load(file)) {
            assertArrayEquals(new int[] {0, 1, 2, 3, 0, 4}, tokenizer.encode("the cat sat on the mat"));
            assertArrayEquals(new int[] {0, 5}, tokenizer.encode("the dog"));
            assertEquals(6, tokenizer.vocabSize());
            assertTrue(tokenizer.id().startsWith("hf:"));
        }
    }

    @Test
    void missingTokenizerFileIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HuggingFaceTextTokenizer.load(dir.resolve("nope.json")));
        assertTrue(e.getMessage().contains("nope.json"), e.getMessage());
    }
}
