package org.icmlora.generate.core;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.icmlora.lora.LoraLayout;

/**
 * Everything a trained generator needs besides its weights to turn a task vector into an adapter vector: the layout,
 * the adapter normaliser and the condition scaler, all fitted on the training set and stored with the generator.
 *
 * @param layout     the adapter layout
 * @param adapters   normalises adapter vectors
 * @param conditions scales task vectors
 */
public record Standardization(LoraLayout layout, AdapterNormalizer adapters, ConditionScaler conditions) {

    /** Fits both statistics on {@code data}. */
    public static Standardization fit(TrainingSet data, AdapterNormalizer.Scheme scheme) {
        return new Standardization(data.layout(), AdapterNormalizer.fit(scheme, data), ConditionScaler.fit(data));
    }

    /** Writes layout and statistics into {@code metadata}; per-coordinate statistics go into the returned tensors. */
    public NDList store(JsonObject metadata, NDManager manager) {
        metadata.addProperty("layout", layout.toJson());
        metadata.add("normalizer", adapters.toJson());
        metadata.add("conditionScaler", conditions.toJson());
        return adapters.tensors(manager);
    }

    /** Reads what {@link #store} wrote. */
    public static Standardization restore(JsonObject metadata, NDList tensors) {
        LoraLayout layout = LoraLayout.fromJson(metadata.get("layout").getAsString());
        return new Standardization(layout,
                AdapterNormalizer.restore(metadata.getAsJsonObject("normalizer"), tensors, layout),
                ConditionScaler.fromJson(metadata.getAsJsonObject("conditionScaler")));
    }

    /** De-normalises a generated vector and checks it against the layout. */
    public float[] toAdapter(float[] normalized, String source) {
        float[] adapter = adapters.denormalize(normalized);
        layout.validate(adapter, source);
        return adapter;
    }
}
