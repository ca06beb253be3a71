package org.icmlora.train;

import ai.djl.nn.Block;
import java.util.Map;
import org.icmlora.lora.Adapter;
import org.icmlora.lora.AdapterSeries;
import org.icmlora.lora.LoraConfig;

/**
 * Records the adapter of each of the last K of N epochs into an adapter series: the training data of the
 * generators (the paper keeps the last 50 of 150 epochs). Epoch e is recorded when {@code e > N - K}.
 */
public final class KeepLastEpochs implements EpochListener {

    private final AdapterSeries series;
    private final Block model;
    private final LoraConfig config;
    private final int firstKept;

    /** Records the adapters of {@code config} in {@code model} after each of the last {@code kept} of {@code epochs}. */
    public KeepLastEpochs(AdapterSeries series, Block model, LoraConfig config, int epochs, int kept) {
        this.series = series;
        this.model = model;
        this.config = config;
        this.firstKept = AdapterSeries.firstKeptEpoch(epochs, kept);
    }

    @Override
    public void epochFinished(int epoch, Map<String, Double> losses) {
        if (epoch >= firstKept) {
            series.add(Adapter.of(model, config), new Adapter.Origin(epoch, losses));
        }
    }
}
