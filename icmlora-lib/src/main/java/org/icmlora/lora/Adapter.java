package org.icmlora.lora;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.icmlora.engine.KitEngine;

/**
 * A LoRA adapter that describes itself: its configuration (rank, alpha, scaling, dropout, initialisation, targets),
 * its layout (which layers, where each number sits in the flat vector the generators learn and write) and the
 * numbers. Everything that builds "base model + adapter" goes through {@link #applyTo}, so an adapter is always
 * attached with the configuration it was trained with.
 *
 * <p>On disk an adapter is a Hugging Face PEFT directory ({@code adapter_model.safetensors},
 * {@code adapter_config.json}) that PEFT's {@code PeftModel.from_pretrained} reads, plus the kit's sidecar
 * {@code icmlora.json} (the exact configuration with its target patterns, the layout, the {@link Origin} and the
 * checksums of both PEFT files), written last: a directory without it is incomplete. See {@link AdapterFiles}.
 *
 * @param config the configuration the adapter was trained (or generated) for
 * @param layout the layout of {@code values}
 * @param values the flat vector in {@code layout}'s order (not copied: treat it as read-only)
 */
public record Adapter(LoraConfig config, LoraLayout layout, float[] values) {

    /**
     * Where a stored adapter came from.
     *
     * @param epoch   the training epoch after which it was recorded, or 0 when it was not trained (generated)
     * @param metrics named figures at that point (training loss, ...), sorted by name
     */
    public record Origin(int epoch, Map<String, Double> metrics) {

        /** An adapter that was not recorded during training. */
        public static final Origin NONE = new Origin(0, Map.of());

        public Origin {
            metrics = java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
        }
    }

    public Adapter {
        if (config.rank() != layout.rank() || config.scale() != layout.scaling()) {
            throw new IllegalArgumentException("adapter config (rank " + config.rank() + ", scale " + config.scale()
                    + ") differs from its layout (rank " + layout.rank() + ", scale " + layout.scaling() + ")");
        }
        layout.validate(values, "adapter");
    }

    /** The adapter attached to {@code model} ({@link LoraAdapters#inject} with {@code config}), as it is now. */
    public static Adapter of(Block model, LoraConfig config) {
        LoraLayout layout = LoraLayout.of(LoraAdapters.adaptedLayers(model));
        return new Adapter(config, layout, LoraAdapters.flatten(model, layout));
    }

    /** The same configuration and layout with other values (a generated adapter of this shape). */
    public Adapter withValues(float[] other) {
        return new Adapter(config, layout, other);
    }

    /** P: the number of adapter parameters. */
    public int size() {
        return values.length;
    }

    /**
     * Attaches this adapter to {@code model}: injects adapters of {@link #config} into the layers it targets, checks
     * that they have this adapter's layout (the model must be the one it was trained on) and loads the values.
     */
    public void applyTo(Block model, NDManager manager) {
        // the values loaded below replace the A that injection draws
        LoraLayout injected = KitEngine.seeded(0, () -> LoraAdapters.inject(model, config, manager));
        if (!injected.equals(layout)) {
            throw new IllegalArgumentException("this adapter (" + layout.layers().size() + " layers, rank "
                    + layout.rank() + ", P=" + layout.size() + ") does not fit the model: its targets give "
                    + injected.layers().size() + " layers, P=" + injected.size() + "; was it trained on another model?");
        }
        LoraAdapters.load(model, layout, values, "adapter");
    }

    /**
     * Attaches all of {@code adapters} (one configuration and layout) to {@code model} as one stack, for evaluating them
     * in one batched pass: the model's input then holds one group of rows per adapter, in this order
     * ({@link LoraLinear#attachStack}). Each group's outputs equal those of the model with that adapter alone.
     */
    public static void applyStackTo(List<Adapter> adapters, Block model, NDManager manager) {
        Adapter first = adapters.get(0);
        for (Adapter adapter : adapters) {
            if (!adapter.config.equals(first.config) || !adapter.layout.equals(first.layout)) {
                throw new IllegalArgumentException("a stack of adapters needs one configuration and layout; " + adapter
                        + " differs from " + first);
            }
        }
        LoraAdapters.injectStack(model, first.config, first.layout, adapters.stream().map(Adapter::values).toList(),
                manager);
    }

    /** Writes this adapter as a PEFT directory with the kit's sidecar (see {@link AdapterFiles#write}). */
    public void save(Path dir, Origin origin) {
        AdapterFiles.write(dir, this, origin, PeftNameMap.IDENTITY, null);
    }

    /** Reads an adapter written by {@link #save}, checking both files against the sidecar's checksums. */
    public static Adapter load(Path dir) {
        return AdapterFiles.read(dir).adapter();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Adapter a && config.equals(a.config) && layout.equals(a.layout)
                && Arrays.equals(values, a.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * config.hashCode() + layout.hashCode()) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Adapter(rank " + layout.rank() + ", " + layout.layers().size() + " layers, P=" + values.length + ")";
    }
}
