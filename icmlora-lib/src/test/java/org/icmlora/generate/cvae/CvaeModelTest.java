package org.icmlora.generate.cvae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.icmlora.config.Profiles;
import org.icmlora.engine.GarbageBeforeBackward;
import org.icmlora.engine.KitEngine;
import org.icmlora.generate.core.CvaeConfig;
import org.icmlora.generate.core.StandardNormal;
import org.icmlora.train.TrainableParameters;
import org.junit.jupiter.api.Test;

class CvaeModelTest {

    @Test
    void lossIsMsePlusWeightedKlOnAHandWorkedBatch() {
        try (NDManager manager = KitEngine.newManager()) {
            NDArray recon = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray target = manager.create(new float[] {1, 0, 3, 6}, new Shape(2, 2));
            NDArray mu = manager.create(new float[] {1, 0, 0, 2}, new Shape(2, 2));
            NDArray logVar = manager.zeros(new Shape(2, 2));
            CvaeModel.Loss loss = CvaeModel.loss(recon, target, mu, logVar, 0.5f);
            // mse = (0 + 4 + 0 + 4) / 4 = 2; kl per sample = 0.5 * sum(mu^2) -> 0.5 and 2, mean 1.25
            assertEquals(2f, loss.mse().getFloat(), 1e-6f);
            assertEquals(1.25f, loss.kl().getFloat(), 1e-6f);
            assertEquals(2f + 0.5f * 1.25f, loss.total().getFloat(), 1e-6f);
        }
    }

    @Test
    void lossRefusesTheReferenceCodesBroadcastBetweenBx1xLAndBxL() {
        try (NDManager manager = KitEngine.newManager()) {
            NDArray recon = manager.zeros(new Shape(2, 8));
            NDArray target = manager.zeros(new Shape(2, 1, 8));
            NDArray mu = manager.zeros(new Shape(2, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CvaeModel.loss(recon, target, mu, mu, 0.005f));
            assertEquals("CVAE loss: reconstruction (2, 8) and target (2, 1, 8) must have the same shape (no"
                    + " broadcasting)", e.getMessage());
        }
    }

    @Test
    void reparameterizationScalesTheNoiseBySigmaAndPassesGradientsToMuAndLogVar() {
        try (NDManager manager = KitEngine.newManager()) {
            NDArray mu = manager.create(new float[] {1, -2, 0.5f}, new Shape(1, 3));
            NDArray logVar = manager.create(new float[] {0, (float) Math.log(4), (float) Math.log(0.25)},
                    new Shape(1, 3));
            NDArray noise = StandardNormal.array(new Random(3), new Shape(1, 3), manager);
            float[] eps = noise.toFloatArray();
            mu.setRequiresGradient(true);
            logVar.setRequiresGradient(true);
            try (GradientCollector collector = KitEngine.newGradientCollector()) {
                NDArray z = CvaeModel.reparameterize(mu, logVar, noise);
                assertArrayEquals(new float[] {1 + eps[0], -2 + 2 * eps[1], 0.5f + 0.5f * eps[2]}, z.toFloatArray(),
                        1e-6f);
                collector.backward(z.sum());
            }
            assertArrayEquals(new float[] {1, 1, 1}, mu.getGradient().toFloatArray(), 1e-6f);
            // dz/dlogvar = eps * sigma / 2
            assertArrayEquals(new float[] {eps[0] / 2, eps[1], eps[2] / 4}, logVar.getGradient().toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void everyTrainableParameterRequiresAGradientOnceInitialisedAndBatchNormStatisticsDoNot() {
        // DJL's Parameter.initialize attaches the gradient itself: no re-synchronisation after initialize is needed
        try (NDManager manager = KitEngine.newManager()) {
            CvaeConfig config = Profiles.bind("smoke", "cvae", CvaeConfig.class);
            CvaeModel model = new CvaeModel(CvaeArchitecture.plan(config, 64), config.latentDim(), 3);
            model.initialize(manager);
            model.getParameters().forEach(p -> assertEquals(!p.getKey().contains("running"),
                    p.getValue().getArray().hasGradient(), p.getKey()));
        }
    }

    @Test
    void parameterNamesAndShapesAreThoseThatStoredGeneratorsUse() {
        // saved generators and training checkpoints name parameters this way: a rename would orphan them
        try (NDManager manager = KitEngine.newManager()) {
            CvaeConfig config = Profiles.bind("smoke", "cvae", CvaeConfig.class); // depth 4, channels 4, 8, 8, 4
            CvaeModel model = new CvaeModel(CvaeArchitecture.plan(config, 64), config.latentDim(), 3);
            model.initialize(manager);
            var parameters = model.getParameters();
            assertEquals(new Shape(4, 1, 7), parameters.get("01encoder_01Conv1d_weight").getArray().getShape());
            assertEquals(new Shape(4), parameters.get("01encoder_11BatchNorm_runningVar").getArray().getShape());
            assertEquals(new Shape(16, 16), parameters.get("02encoder_head_weight").getArray().getShape());
            assertEquals(new Shape(16, 19), parameters.get("04fc_logvar_weight").getArray().getShape());
            assertEquals(new Shape(16, 19), parameters.get("05decoder_input_weight").getArray().getShape());
            assertEquals(new Shape(4, 8, 7), parameters.get("06decoder_01TransposedConv1d_weight").getArray()
                    .getShape());
            assertEquals(new Shape(1, 4, 7), parameters.get("07output_conv_weight").getArray().getShape());
            assertEquals(2 * 6 * 4 + 4 * 2 + 2, parameters.size(), "conv/BN per layer, four linears, output conv");
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
                return CvaeModel.loss(out.get(0), x, out.get(1), out.get(2), 0.005f).total();
            };

            GarbageBeforeBackward.assertUnchangedByGarbageCollection(trainable, loss);
        }
    }
}
