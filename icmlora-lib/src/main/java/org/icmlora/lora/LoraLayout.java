package org.icmlora.lora;

import com.google.gson.Gson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where every adapter number sits in the one flat vector that generators learn from and write.
 *
 * <p>Layers are ordered by name ({@link LayerNameOrder}: numbers compare numerically). For each layer the vector
 * holds A ([r, in], row-major) and then B ([out, r], row-major). The length P is what Table 4 of the paper calls the
 * LoRA parameter count. A layout is plain data: it serialises to JSON and travels with every checkpoint and generator,
 * so a vector is never read with the wrong layout.
 *
 * @param rank    r
 * @param scaling the factor s the adapters were trained with
 * @param layers  the adapted layers in layout order
 */
public record LoraLayout(int rank, float scaling, List<Layer> layers) {

    private static final Gson GSON = new Gson();

    /** One adapted layer: its name and the sizes of its base weight W [out, in]. */
    public record Layer(String name, int inFeatures, int outFeatures) {}

    /**
     * One adapter tensor in the flat vector: {@code <layer>.lora_A} [r, in] or {@code <layer>.lora_B} [out, r],
     * stored row-major from {@code offset}. Per-tensor work (normalisation, export) walks these.
     *
     * @param name   {@code <layer>.lora_A} or {@code <layer>.lora_B}
     * @param offset index of the first value in the flat vector
     * @param rows   first dimension
     * @param cols   second dimension
     */
    public record Tensor(String name, int offset, int rows, int cols) {
        /** Number of values. */
        public int size() {
            return rows * cols;
        }
    }

    public LoraLayout {
        if (rank < 1) {
            throw new IllegalArgumentException("layout rank must be >= 1, got " + rank);
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a LoRA layout needs at least one layer");
        }
        List<Layer> sorted = new ArrayList<>(layers);
        sorted.sort(Comparator.comparing(Layer::name, LayerNameOrder.INSTANCE));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
                throw new IllegalArgumentException("layer " + sorted.get(i).name() + " appears twice in the layout");
            }
        }
        layers = List.copyOf(sorted);
    }

    /** The layout of the adapters attached to {@code adapted} (all with the same configuration). */
    public static LoraLayout of(List<LoraLinear> adapted) {
        if (adapted.isEmpty()) {
            throw new IllegalArgumentException("no adapted layers to lay out");
        }
        LoraConfig config = adapted.get(0).adapterConfig();
        return new LoraLayout(config.rank(), config.scale(),
                adapted.stream().map(l -> new Layer(l.name(), l.inFeatures(), l.outFeatures())).toList());
    }

    /** P: the number of adapter parameters, the flat vector's length. */
    public int size() {
        return offsetOfA(layers.size());
    }

    /** Index of the first value of layer {@code i}'s A; {@code offsetOfA(layers().size())} is P. */
    public int offsetOfA(int i) {
        int offset = 0;
        for (int k = 0; k < i; k++) {
            Layer layer = layers.get(k);
            offset += rank * (layer.inFeatures() + layer.outFeatures());
        }
        return offset;
    }

    /** Index of the first value of layer {@code i}'s B. */
    public int offsetOfB(int i) {
        return offsetOfA(i) + rank * layers.get(i).inFeatures();
    }

    /** Every adapter tensor in vector order: per layer A then B. */
    public List<Tensor> tensors() {
        List<Tensor> tensors = new ArrayList<>(2 * layers.size());
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            tensors.add(new Tensor(layer.name() + ".lora_A", offsetOfA(i), rank, layer.inFeatures()));
            tensors.add(new Tensor(layer.name() + ".lora_B", offsetOfB(i), layer.outFeatures(), rank));
        }
        return tensors;
    }

    /** Position of the layer named {@code name}, or an error listing the layout's layers. */
    public int indexOf(String name) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("layer " + name + " is not in this layout; it has "
                + layers.stream().map(Layer::name).toList());
    }

    /**
     * Checks that {@code vector} fits this layout: the right length and only finite numbers. {@code source} names
     * where it came from (a file, a generator) so the error can point there.
     */
    public void validate(float[] vector, String source) {
        if (vector.length != size()) {
            throw new IllegalArgumentException(source + ": adapter vector has " + vector.length
                    + " values but this layout (rank " + rank + ", " + layers.size() + " layers) needs " + size()
                    + "; it was made for another model, rank or target set");
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new IllegalArgumentException(source + ": adapter vector holds " + vector[i] + " at index " + i
                        + " (" + describe(i) + "); the producing run diverged, retrain or regenerate it");
            }
        }
    }

    /** Which tensor index {@code i} of the flat vector belongs to, e.g. {@code "blocks.0.attn.q lora_B[3,1]"}. */
    public String describe(int i) {
        for (int k = 0; k < layers.size(); k++) {
            if (i < offsetOfA(k + 1)) {
                Layer layer = layers.get(k);
                int local = i - offsetOfA(k);
                int aSize = rank * layer.inFeatures();
                return local < aSize
                        ? layer.name() + " lora_A[" + local / layer.inFeatures() + "," + local % layer.inFeatures() + "]"
                        : layer.name() + " lora_B[" + (local - aSize) / rank + "," + (local - aSize) % rank + "]";
            }
        }
        throw new IndexOutOfBoundsException("index " + i + " is outside a layout of " + size() + " values");
    }

    /** This layout as JSON. */
    public String toJson() {
        return GSON.toJson(this);
    }

    /** Reads a layout written by {@link #toJson()}. */
    public static LoraLayout fromJson(String json) {
        LoraLayout raw = GSON.fromJson(json, LoraLayout.class);
        return new LoraLayout(raw.rank, raw.scaling, raw.layers);
    }
}
