package org.icmlora.tracks.language;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.icmlora.eval.DocumentScore;
import org.icmlora.eval.LanguageModelScore;
import org.icmlora.tracks.Evaluation;

/**
 * A language model (the base model, or the base model with an adapter) on a domain's test documents, kept per document
 * (summed negative log-likelihood, predicted tokens, characters), so PPL and BPC of any resample of the documents are
 * exact: {@code PPL = exp(sum NLL / sum tokens)}, {@code BPC = sum NLL / (ln 2 * sum characters)}.
 *
 * @param domain    the text domain
 * @param tokenizer the tokenizer the tokens were counted in
 * @param scored    every test document's score, in test-split order
 */
public record LanguageEvaluation(String domain, String tokenizer, List<DocumentScore> scored) implements Evaluation {

    private static final Gson GSON = new Gson();

    public LanguageEvaluation {
        scored = List.copyOf(scored);
        if (scored.isEmpty()) {
            throw new IllegalArgumentException("an evaluation of " + domain + " needs at least one scored document");
        }
    }

    @Override
    public int items() {
        return scored.size();
    }

    @Override
    public Map<String, Double> metrics(int[] indices) {
        List<DocumentScore> drawn = new ArrayList<>(indices.length);
        for (int i : indices) {
            drawn.add(scored.get(i));
        }
        LanguageModelScore total = LanguageModelScore.of(drawn, tokenizer);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("ppl", total.perplexity());
        metrics.put("bpc", total.bitsPerCharacter());
        return metrics;
    }

    @Override
    public JsonElement toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("domain", domain);
        json.addProperty("tokenizer", tokenizer);
        json.add("documents", GSON.toJsonTree(scored));
        return json;
    }

    /** Reads {@link #toJson()}. */
    public static LanguageEvaluation fromJson(JsonElement element) {
        JsonObject json = element.getAsJsonObject();
        List<DocumentScore> documents = GSON.fromJson(json.get("documents"),
                new TypeToken<List<DocumentScore>>() { }.getType());
        return new LanguageEvaluation(json.get("domain").getAsString(), json.get("tokenizer").getAsString(),
                documents);
    }
}
