package org.icmlora.lora;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What an adapter looks like: rank r, alpha and the scaling rule, dropout on the adapter's input, how A and B start,
 * and which layers it targets.
 *
 * <p>Targets are regular expressions matched against the whole layer name (for example {@code ".*attn\\.(q|k|v|o)"}).
 * The scaling is {@code alpha / r} ({@link Scaling#STANDARD}, as in the LoRA paper and PEFT's default) or
 * {@code alpha / sqrt(r)} ({@link Scaling#RANK_STABILIZED}, used by the ICM-LoRA reference code).
 *
 * @param rank      r, the inner dimension of B (out x r) and A (r x in); at least 1
 * @param alpha     the scaling numerator
 * @param scaling   how alpha and r combine into the factor s of {@code y = Wx + b + s * B A x}
 * @param dropout   dropout probability on the adapter branch's input during training, in [0, 1)
 * @param init      how A and B are initialised
 * @param targets   regular expressions; a layer is adapted when its name fully matches one of them
 */
public record LoraConfig(int rank, float alpha, Scaling scaling, float dropout, Init init, List<String> targets) {

    /** How alpha and rank give the adapter's scale factor. */
    public enum Scaling {
        /** s = alpha / r. */
        STANDARD,
        /** s = alpha / sqrt(r) (rank-stabilised LoRA). */
        RANK_STABILIZED
    }

    /** How the adapter's factors start. B starts at zero either way, so a new adapter changes nothing. */
    public enum Init {
        /** A ~ U(-1/sqrt(in), 1/sqrt(in)) (Kaiming-uniform with a = sqrt(5), PEFT's default), B = 0. */
        KAIMING_UNIFORM,
        /** A ~ N(0, sd 1/r), B = 0 (PEFT's "gaussian" option: std = 1/r; used by the reference code). */
        GAUSSIAN
    }

    public LoraConfig {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be >= 1, got " + rank);
        }
        if (!(alpha > 0) || !Float.isFinite(alpha)) {
            throw new IllegalArgumentException("LoRA alpha must be a positive number, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("LoRA targets must name at least one layer pattern");
        }
        targets = List.copyOf(targets);
        targets.forEach(Pattern::compile);
    }

    /** Rank r with alpha = 2r (s = 2), no dropout, Kaiming-uniform A, targeting the given layer patterns. */
    public static LoraConfig of(int rank, String... targets) {
        return new LoraConfig(rank, 2f * rank, Scaling.STANDARD, 0f, Init.KAIMING_UNIFORM, List.of(targets));
    }

    /** The same adapter at another rank (alpha kept). */
    public LoraConfig withRank(int newRank) {
        return new LoraConfig(newRank, alpha, scaling, dropout, init, targets);
    }

    /** The same adapter with another alpha. */
    public LoraConfig withAlpha(float newAlpha) {
        return new LoraConfig(rank, newAlpha, scaling, dropout, init, targets);
    }

    /** The same adapter with another scaling rule. */
    public LoraConfig withScaling(Scaling newScaling) {
        return new LoraConfig(rank, alpha, newScaling, dropout, init, targets);
    }

    /** The same adapter with another dropout probability. */
    public LoraConfig withDropout(float newDropout) {
        return new LoraConfig(rank, alpha, scaling, newDropout, init, targets);
    }

    /** The same adapter with another initialisation. */
    public LoraConfig withInit(Init newInit) {
        return new LoraConfig(rank, alpha, scaling, dropout, newInit, targets);
    }

    /** The factor s in {@code y = Wx + b + s * B A x}. */
    public float scale() {
        return scaling == Scaling.STANDARD ? alpha / rank : (float) (alpha / Math.sqrt(rank));
    }

    /** True when {@code layerName} fully matches one of the target patterns. */
    public boolean targets(String layerName) {
        return targets.stream().anyMatch(t -> Pattern.matches(t, layerName));
    }
}
