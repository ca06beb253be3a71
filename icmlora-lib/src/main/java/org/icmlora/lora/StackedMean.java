package org.icmlora.lora;

import java.util.List;

/**
 * The exact mean of several adapters' weight changes as one adapter: for every layer, {@code mean_i(s B_i A_i)} is
 * written as an adapter of rank {@code N r} whose A stacks the N A's and whose B stacks the N B's, scaled so that the
 * new scale s' gives {@code s' B' A' = (s / N) sum_i B_i A_i}. Nothing is truncated, so attaching it to the base model
 * gives the uniform weight soup itself; Model Soup, which must fit the layout of rank r every method is evaluated
 * with, returns the closest rank-r adapter to the same mean instead, and comparing the two scores measures what that
 * truncation costs.
 */
public final class StackedMean {

    private StackedMean() {}

    /** The mean weight change of {@code adapters} (one configuration and layout, at least one) as one adapter. */
    public static Adapter of(List<Adapter> adapters) {
        if (adapters.isEmpty()) {
            throw new IllegalArgumentException("the mean of no adapters is undefined; give at least one");
        }
        Adapter first = adapters.get(0);
        for (Adapter adapter : adapters) {
            if (!adapter.config().equals(first.config()) || !adapter.layout().equals(first.layout())) {
                throw new IllegalArgumentException("adapters to average must share one configuration and layout; "
                        + adapter + " differs from " + first);
            }
        }
        int n = adapters.size();
        int r = first.layout().rank();
        LoraConfig config = first.config().withRank(n * r);
        LoraLayout layout = new LoraLayout(n * r, config.scale(), first.layout().layers());
        double bScale = first.config().scale() / (n * (double) config.scale());
        float[] values = new float[layout.size()];
        for (int l = 0; l < layout.layers().size(); l++) {
            LoraLayout.Layer layer = layout.layers().get(l);
            int in = layer.inFeatures();
            for (int i = 0; i < n; i++) {
                float[] source = adapters.get(i).values();
                int aFrom = first.layout().offsetOfA(l);
                int bFrom = first.layout().offsetOfB(l);
                System.arraycopy(source, aFrom, values, layout.offsetOfA(l) + i * r * in, r * in);
                for (int o = 0; o < layer.outFeatures(); o++) {
                    for (int k = 0; k < r; k++) {
                        values[layout.offsetOfB(l) + o * n * r + i * r + k] =
                                (float) (bScale * source[bFrom + o * r + k]);
                    }
                }
            }
        }
        return new Adapter(config, layout, values);
    }
}
