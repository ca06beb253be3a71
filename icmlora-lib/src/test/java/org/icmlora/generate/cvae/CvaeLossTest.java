package org.icmlora.generate.cvae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.function.Supplier;
import org.icmlora.engine.GarbageBeforeBackward;
import org.icmlora.engine.KitEngine;
import org.icmlora.config.Profiles;
import org.icmlora.generate.core.CvaeConfig;
import org.icmlora.train.TrainableParameters;
import org.junit.jupiter.api.Test;

class CvaeLossTest {

    @Test
    void computesMsePlusWeightedKlOnAHandWorkedBatch() {
        try (NDManager manager = KitEngine.newManager()) {
            NDArray recon = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray target = manager.create(new float[] {1, 0, 3, 6}, new Shape(2, 2));
            NDArray mu = manager.create(new float[] {1, 0, 0, 2}, new Shape(2, 2));
            NDArray logVar = manager.zeros(new Shape(2, 2));
            CvaeLoss.Parts parts = CvaeLoss.compute(recon, target, mu, logVar, 0.5f);
            // mse = (0 + 4 + 0 + 4) / 4 = 2; kl per sample = 0.5 * sum(mu^2) -> 0.5 and 2, mean 1.25
            assertEquals(2f, parts.mse().getFloat(), 1e-6f);
            assertEquals(1.25f, parts.kl().getFloat(), 1e-6f);
            assertEquals(2f + 0.5f * 1.25f, parts.total().getFloat(), 1e-6f);
        }
    }

    @Test
    void refusesTheReferenceCodesBroadcastBetweenBx1xLAndBxL() {
        try (NDManager manager = KitEngine.newManager()) {
            NDArray recon = manager.zeros(new Shape(2, 8));
            NDArray target = manager.zeros(new Shape(2, 1, 8));
            NDArray mu = manager.zeros(new Shape(2, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CvaeLoss.compute(recon, target, mu, mu, 0.005f));
            assertEquals("CVAE loss: reconstruction (2, 8) and target (2, 1, 8) must have the same shape (no"
                    + " broadcasting)", e.getMessage());
        }
    }

    @Test
    void gradientsThroughModelAndLossSurviveAGarbageCollectionBetweenForwardAndBackward() {
        KitEngine.init(1);
        try (NDManager manager = KitEngine.newManager()) {
            CvaeConfig config = Profiles.bind("smoke", "cvae", CvaeConfig.class);
            CvaeModel model = new CvaeModel(CvaeArchitecture.plan(config, 64), config.latentDim(), 3);
            KitEngine.seed(4);
            model.initialize(manager);
            Map<String, Parameter> trainable = TrainableParameters.of(model);
            NDArray x = manager.randomNormal(new Shape(2, model.plan().paddedLength()));
            NDArray c = manager.randomNormal(new Shape(2, 3));
            NDArray eps = manager.randomNormal(new Shape(2, config.latentDim())); // the same noise in both passes
            Supplier<NDArray> loss = () -> {
                NDList out = model.forward(new ParameterStore(manager, false), new NDList(x, c, eps), true);
                return CvaeLoss.compute(out.get(0), x, out.get(1), out.get(2), 0.005f).total();
            };

            GarbageBeforeBackward.assertUnchangedByGarbageCollection(trainable, loss);
        }
    }
}
