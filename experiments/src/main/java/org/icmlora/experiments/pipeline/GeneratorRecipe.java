package org.icmlora.experiments.pipeline;

import org.icmlora.engine.Profile;
import org.icmlora.generate.LoraGenerator;
import org.icmlora.generate.cvae.CvaeConfig;
import org.icmlora.generate.cvae.CvaeGenerator;

/**
 * How to build one generating method: which method, its configuration (part of the cache key) and how often its
 * fitting checkpoints. {@link #forMethod} gives each method's configuration at a profile.
 */
public record GeneratorRecipe(Method method, Object config, int checkpointEvery) {

    public GeneratorRecipe {
        if (!method.isGenerator()) {
            throw new IllegalArgumentException(method.paperName() + " is not a generating method");
        }
    }

    /** The configuration of {@code method} at {@code profile}, seeded with the run's {@code seed}. */
    public static GeneratorRecipe forMethod(Method method, Profile profile, long seed) {
        return switch (method) {
            case ICM_LORA -> icmLora(CvaeConfig.forProfile(profile).withSeed(seed));
            default -> throw new IllegalArgumentException(method.paperName() + " has no generator recipe");
        };
    }

    /** ICM-LoRA's conditional VAE with {@code config} (Table 5 varies its depth). */
    public static GeneratorRecipe icmLora(CvaeConfig config) {
        return new GeneratorRecipe(Method.ICM_LORA, config, Math.max(1, config.epochs() / 10));
    }

    /** A new, unfitted generator. */
    public LoraGenerator create() {
        if (config instanceof CvaeConfig cvae) {
            return new CvaeGenerator(cvae);
        }
        throw new IllegalStateException("no generator for configuration " + config.getClass().getSimpleName());
    }
}
