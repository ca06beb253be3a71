package org.icmlora.models.gpt;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.icmlora.store.AtomicFiles;

/**
 * A tokenizer loaded from a HuggingFace {@code tokenizer.json} through DJL's binding of the Rust tokenizers library
 * (BPE, WordPiece, Unigram: whatever the file defines), for runs with a subword vocabulary. No special tokens are
 * added, so the ids are exactly those of the text. The vocabulary size is read from the file (model vocabulary plus
 * added tokens), since the binding does not report it. Close it to free the native tokenizer.
 */
public final class HuggingFaceTextTokenizer implements Tokenizer, AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final int vocabSize;
    private final String id;

    private HuggingFaceTextTokenizer(HuggingFaceTokenizer tokenizer, int vocabSize, String id) {
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.id = id;
    }

    /** Loads {@code tokenizer.json}; a missing or unreadable file is an error naming it. */
    public static HuggingFaceTextTokenizer load(Path tokenizerJson) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("tokenizer file " + tokenizerJson + " does not exist");
        }
        try {
            int vocab = vocabularySize(JsonParser.parseString(Files.readString(tokenizerJson)).getAsJsonObject(),
                    tokenizerJson);
            HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(tokenizerJson,
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            return new HuggingFaceTextTokenizer(hf, vocab, "hf:" + AtomicFiles.sha256(tokenizerJson).substring(0, 16));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer file " + tokenizerJson, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(tokenizerJson + " is not a usable HuggingFace tokenizer.json: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            wide[i] = ids[i];
        }
        return tokenizer.decode(wide, false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /** One more than the largest id in the model vocabulary or the added tokens. */
    static int vocabularySize(JsonObject json, Path file) {
        int max = -1;
        JsonObject model = json.has("model") ? json.getAsJsonObject("model") : null;
        if (model != null && model.has("vocab")) {
            JsonElement vocab = model.get("vocab");
            if (vocab.isJsonObject()) {
                for (var entry : vocab.getAsJsonObject().entrySet()) {
                    max = Math.max(max, entry.getValue().getAsInt());
                }
            } else if (vocab.isJsonArray()) { // Unigram: [[piece, score], ...]
                max = Math.max(max, vocab.getAsJsonArray().size() - 1);
            }
        }
        if (json.has("added_tokens") && json.get("added_tokens").isJsonArray()) {
            for (JsonElement token : json.getAsJsonArray("added_tokens")) {
                max = Math.max(max, token.getAsJsonObject().get("id").getAsInt());
            }
        }
        if (max < 0) {
            throw new IllegalArgumentException(file + " defines no vocabulary (model.vocab is missing or empty)");
        }
        return max + 1;
    }
}
