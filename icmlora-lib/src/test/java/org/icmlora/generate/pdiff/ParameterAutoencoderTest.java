package org.icmlora.generate.pdiff;

import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.icmlora.engine.GarbageBeforeBackward;
import org.icmlora.engine.KitEngine;
import org.junit.jupiter.api.Test;

class ParameterAutoencoderTest {

    @Test
    void trainingLossGradientsSurviveAGarbageCollectionBetweenForwardAndBackward() {
        KitEngine.init(1);
        try (NDManager manager = KitEngine.newManager()) {
            ParameterAutoencoder autoencoder = new ParameterAutoencoder(PdiffGeneratorTest.tiny(1, 1), 40);
            KitEngine.seed(2);
            autoencoder.initialize(manager, DataType.FLOAT32, new Shape(2, autoencoder.paddedLength()));
            Map<String, Parameter> trainable = new LinkedHashMap<>();
            autoencoder.getParameters().forEach(p -> trainable.put(p.getKey(), p.getValue()));
            NDArray x = manager.randomNormal(new Shape(2, autoencoder.paddedLength()));
            Supplier<NDArray> loss = () -> // the same augmentation noise in both passes
                    autoencoder.trainingLoss(new ParameterStore(manager, false), x, 0.001f, 0.1f, new Random(8));

            Map<String, float[]> gradients = GarbageBeforeBackward.assertUnchangedByGarbageCollection(trainable, loss);

            assertFalse(gradients.isEmpty());
        }
    }
}
