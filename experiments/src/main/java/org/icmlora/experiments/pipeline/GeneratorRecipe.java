package org.icmlora.experiments.pipeline;

import org.icmlora.engine.Profile;
import org.icmlora.generate.LoraGenerator;
import org.icmlora.generate.cvae.CvaeConfig;
import org.icmlora.generate.cvae.CvaeGenerator;
import org.icmlora.generate.pdiff.PdiffConfig;
import org.icmlora.generate.pdiff.PdiffGenerator;
import org.icmlora.generate.soup.ModelSoup;
import org.icmlora.generate.soup.SoupConfig;

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
            case MODEL_SOUP -> new GeneratorRecipe(Method.MODEL_SOUP, SoupConfig.defaults(), 1);
            case COND_P_DIFF -> condPdiff(PdiffConfig.forProfile(profile).withSeed(seed));
            default -> throw new IllegalArgumentException(method.paperName() + " is not a generating method");
        };
    }

    /** ICM-LoRA's conditional VAE with {@code config} (Table 5 varies its depth). */
    public static GeneratorRecipe icmLora(CvaeConfig config) {
        return new GeneratorRecipe(Method.ICM_LORA, config, Math.max(1, config.epochs() / 10));
    }

    /** COND P-DIFF's parameter autoencoder and latent diffusion with {@code config}. */
    public static GeneratorRecipe condPdiff(PdiffConfig config) {
        return new GeneratorRecipe(Method.COND_P_DIFF, config,
                Math.max(1, (config.aeEpochs() + config.ddpmEpochs()) / 10));
    }

    /** A new, unfitted generator. */
    public LoraGenerator create() {
        if (config instanceof CvaeConfig cvae) {
            return new CvaeGenerator(cvae);
        }
        if (config instanceof PdiffConfig pdiff) {
            return new PdiffGenerator(pdiff);
        }
        if (config instanceof SoupConfig soup) {
            return new ModelSoup(soup);
        }
        throw new IllegalStateException("no generator for configuration " + config.getClass().getSimpleName());
    }
}
