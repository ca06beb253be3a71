package org.icmlora.tracks.language;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.icmlora.eval.LanguageModelScore;
import org.icmlora.tracks.Evaluation;

/**
 * A language model (the base model, or the base model with an adapter) on a domain's test text, kept per scored item
 * (summed negative log-likelihood, predicted tokens, characters), so PPL and BPC of any resample of the items are
 * exact: {@code PPL = exp(sum NLL / sum tokens)}, {@code BPC = sum NLL / (ln 2 * sum characters)}.
 *
 * @param domain the text domain
 * @param scored the scored items in test-split order
 */
public record LanguageEvaluation(String domain, List<LanguageModelScore> scored) implements Evaluation {

    private static final Gson GSON = new Gson();

    public LanguageEvaluation {
        scored = List.copyOf(scored);
        if (scored.isEmpty()) {
            throw new IllegalArgumentException("an evaluation of " + domain + " needs at least one scored item");
        }
    }

    @Override
    public int items() {
        return scored.size();
    }

    @Override
    public Map<String, Double> metrics(int[] indices) {
        double nll = 0;
        long tokens = 0;
        long characters = 0;
        for (int i : indices) {
            LanguageModelScore item = scored.get(i);
            nll += item.negativeLogLikelihood();
            tokens += item.tokens();
            characters += item.characters();
        }
        LanguageModelScore total = new LanguageModelScore(nll, tokens, characters, scored.get(0).tokenizer());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("ppl", total.perplexity());
        metrics.put("bpc", total.bitsPerCharacter());
        return metrics;
    }

    @Override
    public JsonElement toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("domain", domain);
        json.add("items", GSON.toJsonTree(scored));
        return json;
    }

    /** Reads {@link #toJson()}. */
    public static LanguageEvaluation fromJson(JsonElement element) {
        JsonObject json = element.getAsJsonObject();
        List<LanguageModelScore> items = GSON.fromJson(json.get("items"),
                new TypeToken<List<LanguageModelScore>>() { }.getType());
        return new LanguageEvaluation(json.get("domain").getAsString(), items);
    }
}
