package org.icmlora.experiments.pipeline;

/** The five rows of the paper's Tables 1 and 2, in the paper's order and with its names. */
public enum Method {
    /** The adapter of the last fine-tuning epoch: what the generators try to reproduce. */
    ORIGINAL_LORA("Original LoRA"),
    /** The base model without any adapter. */
    ORIGINAL_MODEL("Original Model"),
    /** A uniform soup of adapters (see the soup generator's documentation for what is averaged). */
    MODEL_SOUP("Model Soup"),
    /** Parameter autoencoder + conditional latent diffusion (Jin et al. 2024). */
    COND_P_DIFF("COND P-DIFF"),
    /** The paper's conditional VAE. */
    ICM_LORA("ICM-LoRA");

    private final String paperName;

    Method(String paperName) {
        this.paperName = paperName;
    }

    /** The row label the paper uses. */
    public String paperName() {
        return paperName;
    }

    /** True for the three methods that generate adapters (Tables 3-5 compare only these). */
    public boolean isGenerator() {
        return this == MODEL_SOUP || this == COND_P_DIFF || this == ICM_LORA;
    }
}
