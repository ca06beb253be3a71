package org.icmlora.lora;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Puts adapters into a model and moves their numbers in and out of the flat vector.
 *
 * <p>Injection walks the model's block tree, finds every {@link LoraLinear} whose name a target pattern matches,
 * attaches an adapter to it and freezes the base weights; a pattern that matches nothing is an error (a typo in a
 * target list must not silently train a smaller adapter). The returned layout describes the flat vector.
 */
public final class LoraAdapters {

    private LoraAdapters() {}

    /** Every {@link LoraLinear} in the tree under {@code root}, in layer-name order. */
    public static List<LoraLinear> linearLayers(Block root) {
        List<LoraLinear> found = new ArrayList<>();
        collect(root, found);
        found.sort(Comparator.comparing(LoraLinear::name, LayerNameOrder.INSTANCE));
        return found;
    }

    /** The layers under {@code root} that carry an adapter, in layout order. */
    public static List<LoraLinear> adaptedLayers(Block root) {
        return linearLayers(root).stream().filter(LoraLinear::hasAdapter).toList();
    }

    /**
     * Attaches an adapter to every layer that {@code config} targets, freezes everything else in the model, and
     * returns the layout of the new adapters. Fails when a target pattern matches no layer.
     */
    public static LoraLayout inject(Block root, LoraConfig config, NDManager manager) {
        List<LoraLinear> adapted = targetedLayers(root, config);
        root.freezeParameters(true);
        adapted.forEach(layer -> layer.attach(config, manager));
        return LoraLayout.of(adapted);
    }

    /**
     * Attaches the k adapters {@code vectors} (each in {@code layout}, made with {@code config}) as one stack to the
     * layers {@code config} targets, for batched inference over k equal groups of rows ({@link LoraLinear#attachStack})
     * and freezes the model. Fails when the targets do not give {@code layout}.
     */
    public static void injectStack(Block root, LoraConfig config, LoraLayout layout, List<float[]> vectors,
            NDManager manager) {
        List<LoraLinear> adapted = targetedLayers(root, config);
        LoraLayout targeted = layoutFor(root, config);
        if (!targeted.equals(layout)) {
            throw new IllegalArgumentException("these adapters (" + layout.layers().size() + " layers, P="
                    + layout.size() + ") do not fit the model: its targets give " + targeted.layers().size()
                    + " layers, P=" + targeted.size() + "; were they trained on another model?");
        }
        for (int v = 0; v < vectors.size(); v++) {
            layout.validate(vectors.get(v), "adapter " + v + " of a stack");
        }
        root.freezeParameters(true);
        for (int i = 0; i < adapted.size(); i++) {
            int a = layout.offsetOfA(i);
            int b = layout.offsetOfB(i);
            int end = layout.offsetOfA(i + 1);
            adapted.get(i).attachStack(config, vectors.stream().map(v -> Arrays.copyOfRange(v, a, b)).toList(),
                    vectors.stream().map(v -> Arrays.copyOfRange(v, b, end)).toList(), manager);
        }
    }

    /**
     * The layout that {@link #inject} would give, computed from the layers' sizes alone: no adapter is attached and
     * the model need not be initialised. Its {@link LoraLayout#size()} is the parameter count P of Table 4.
     */
    public static LoraLayout layoutFor(Block root, LoraConfig config) {
        return new LoraLayout(config.rank(), config.scale(), targetedLayers(root, config).stream()
                .map(l -> new LoraLayout.Layer(l.name(), l.inFeatures(), l.outFeatures())).toList());
    }

    /** Removes every adapter of {@code root} (unmerging first); the base weights stay frozen. */
    public static void detach(Block root) {
        adaptedLayers(root).forEach(LoraLinear::detach);
    }

    /** The layers {@code config} targets, in layout order; fails when a target pattern matches no layer. */
    private static List<LoraLinear> targetedLayers(Block root, LoraConfig config) {
        List<LoraLinear> layers = linearLayers(root);
        for (String target : config.targets()) {
            if (layers.stream().noneMatch(l -> l.name().matches(target))) {
                throw new IllegalArgumentException("LoRA target '" + target + "' matches no layer; the model's layers are "
                        + layers.stream().map(LoraLinear::name).toList());
            }
        }
        return layers.stream().filter(l -> config.targets(l.name())).toList();
    }

    /** The adapters of {@code root} as one flat vector in {@code layout}'s order. */
    public static float[] flatten(Block root, LoraLayout layout) {
        List<LoraLinear> adapted = requireMatching(root, layout);
        float[] vector = new float[layout.size()];
        for (int i = 0; i < adapted.size(); i++) {
            float[] a = adapted.get(i).loraA().toFloatArray();
            float[] b = adapted.get(i).loraB().toFloatArray();
            System.arraycopy(a, 0, vector, layout.offsetOfA(i), a.length);
            System.arraycopy(b, 0, vector, layout.offsetOfB(i), b.length);
        }
        return vector;
    }

    /** Loads a flat vector (checked against {@code layout}) into the adapters of {@code root}. */
    public static void load(Block root, LoraLayout layout, float[] vector, String source) {
        layout.validate(vector, source);
        List<LoraLinear> adapted = requireMatching(root, layout);
        for (int i = 0; i < adapted.size(); i++) {
            int a = layout.offsetOfA(i);
            int b = layout.offsetOfB(i);
            adapted.get(i).setAdapter(Arrays.copyOfRange(vector, a, b),
                    Arrays.copyOfRange(vector, b, layout.offsetOfA(i + 1)));
        }
    }

    /** Folds every adapter of {@code root} into its base weights. */
    public static void merge(Block root) {
        adaptedLayers(root).forEach(LoraLinear::merge);
    }

    /** Takes every adapter of {@code root} out of its base weights again. */
    public static void unmerge(Block root) {
        adaptedLayers(root).forEach(LoraLinear::unmerge);
    }

    private static List<LoraLinear> requireMatching(Block root, LoraLayout layout) {
        List<LoraLinear> adapted = adaptedLayers(root);
        List<String> names = adapted.stream().map(LoraLinear::name).toList();
        List<String> expected = layout.layers().stream().map(LoraLayout.Layer::name).toList();
        if (!names.equals(expected)) {
            throw new IllegalArgumentException("the model's adapted layers " + names + " differ from the layout's "
                    + expected);
        }
        for (int i = 0; i < adapted.size(); i++) {
            LoraLinear layer = adapted.get(i);
            LoraLayout.Layer spec = layout.layers().get(i);
            if (layer.adapterConfig().rank() != layout.rank() || layer.inFeatures() != spec.inFeatures()
                    || layer.outFeatures() != spec.outFeatures()) {
                throw new IllegalArgumentException("layer " + layer.name() + " (rank " + layer.adapterConfig().rank()
                        + ", " + layer.inFeatures() + " -> " + layer.outFeatures() + ") does not fit the layout's "
                        + spec + " at rank " + layout.rank());
            }
        }
        return adapted;
    }

    private static void collect(Block block, List<LoraLinear> found) {
        if (block instanceof LoraLinear linear) {
            found.add(linear);
        }
        block.getChildren().values().forEach(child -> collect(child, found));
    }
}
