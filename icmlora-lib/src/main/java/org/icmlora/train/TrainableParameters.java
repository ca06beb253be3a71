package org.icmlora.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Which parameters of a model an optimizer updates: those that take gradients, by name in model order. */
public final class TrainableParameters {

    private TrainableParameters() {}

    /**
     * The parameters of {@code block} that take gradients, by name: after LoRA injection only the adapters' A and B
     * (the frozen base weights and batch norm's running statistics are left out).
     */
    public static Map<String, Parameter> of(Block block) {
        Map<String, Parameter> trainable = new LinkedHashMap<>();
        block.getParameters().forEach(p -> {
            if (p.getValue().requiresGradient()) {
                trainable.put(p.getKey(), p.getValue());
            }
        });
        return trainable;
    }
}
