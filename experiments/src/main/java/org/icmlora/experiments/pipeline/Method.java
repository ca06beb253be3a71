package org.icmlora.experiments.pipeline;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.icmlora.experiments.KitConfig;
import org.icmlora.generate.core.GeneratorConfig;

/** The rows of the paper's Tables 1 and 2, in the paper's order and with its names. */
public enum Method {
    /** The adapter of the last fine-tuning epoch: what the generators try to reproduce. */
    ORIGINAL_LORA("Original LoRA", null),
    /** The base model without any adapter. */
    ORIGINAL_MODEL("Original Model", null),
    /** The uniform soup of every task's adapters: condition-free (see the soup generator's documentation). */
    MODEL_SOUP("Model Soup", KitConfig::soup),
    /** Parameter autoencoder + conditional latent diffusion (Jin et al. 2024). */
    COND_P_DIFF("COND P-DIFF", KitConfig::pdiff),
    /** The paper's conditional VAE. */
    ICM_LORA("ICM-LoRA", KitConfig::cvae);

    private final String paperName;
    private final Function<KitConfig, GeneratorConfig> generator;

    Method(String paperName, Function<KitConfig, GeneratorConfig> generator) {
        this.paperName = paperName;
        this.generator = generator;
    }

    /** The row label the paper uses. */
    public String paperName() {
        return paperName;
    }

    /** True for the methods that generate adapters (Tables 3-5 compare only these). */
    public boolean isGenerator() {
        return generator != null;
    }

    /** The configuration of this generating method in {@code config}. */
    public GeneratorConfig generator(KitConfig config) {
        if (generator == null) {
            throw new IllegalStateException(paperName + " is not a generating method");
        }
        return generator.apply(config);
    }

    /** The generating methods, in the paper's row order. */
    public static List<Method> generators() {
        return Arrays.stream(values()).filter(Method::isGenerator).toList();
    }
}
