package org.icmlora.lora;

import java.util.List;

/**
 * How a run's adapters look, for every track: the rank of the main tables, the ranks of the rank ablations, and the
 * rule that turns a rank into a {@link LoraConfig} (alpha, scaling, dropout, initialisation). Each track adds its own
 * target layers ({@link #config}).
 *
 * @param rank         the rank of Tables 1, 2, 6 and of the fine-tuned task vectors
 * @param ranks        the ranks of Tables 3, 4 and 5
 * @param alphaPerRank alpha = alphaPerRank * r (2: the scale alpha / r is 2 at every rank)
 * @param scaling      how alpha and r give the scale
 * @param dropout      dropout on the adapter branch while training
 * @param init         how A starts (B starts at zero)
 */
public record LoraSettings(int rank, List<Integer> ranks, float alphaPerRank, LoraConfig.Scaling scaling,
        float dropout, LoraConfig.Init init) {

    public LoraSettings {
        ranks = List.copyOf(ranks);
        if (rank < 1 || ranks.isEmpty() || ranks.stream().anyMatch(r -> r < 1)) {
            throw new IllegalArgumentException("LoRA ranks must be >= 1, got rank " + rank + " and ranks " + ranks);
        }
        if (!(alphaPerRank > 0)) {
            throw new IllegalArgumentException("alphaPerRank must be > 0, got " + alphaPerRank);
        }
    }

    /** The adapter of rank {@code r} on the layers that {@code targets} match. */
    public LoraConfig config(int r, List<String> targets) {
        return new LoraConfig(r, alphaPerRank * r, scaling, dropout, init, targets);
    }
}
