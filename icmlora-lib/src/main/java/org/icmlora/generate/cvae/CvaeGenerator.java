package org.icmlora.generate.cvae;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.icmlora.generate.core.AdapterNormalizer;
import org.icmlora.generate.core.CvaeConfig;
import org.icmlora.generate.core.NeuralGenerator;
import org.icmlora.generate.core.PreparedData;
import org.icmlora.train.AdamW;
import org.icmlora.train.ParameterTensors;
import org.icmlora.train.TrainableParameters;
import org.icmlora.train.TrainingLoop;
import org.icmlora.train.TrainingReport;
import org.icmlora.train.TrainingRun;

/**
 * ICM-LoRA: a conditional VAE ({@link CvaeModel}) trained on the adapter checkpoints of several tasks at once,
 * conditioned on each task's vector (paper Eq. 8); generation decodes {@code z ~ N(0, I)} with the task vector
 * (Eq. 9). Standardisation, cropping and the artifact are {@link NeuralGenerator}'s.
 */
public final class CvaeGenerator extends NeuralGenerator<CvaeConfig> {

    /** Kind written into artifacts. */
    public static final String KIND = "icm-lora-cvae";

    private CvaeModel model;

    /** An untrained generator with {@code config}. */
    public CvaeGenerator(CvaeConfig config) {
        super(config);
    }

    /** Reads a generator written by {@link #save}. */
    public static CvaeGenerator load(Path dir) {
        return load(dir, CvaeConfig.class, CvaeGenerator::new);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The network (after {@link #fit} or {@link #load}). */
    public CvaeModel model() {
        if (model == null) {
            throw new IllegalStateException("this CVAE generator is not trained: call fit(...) or load(...) first");
        }
        return model;
    }

    @Override
    protected AdapterNormalizer.Scheme normalization() {
        return config.normalization();
    }

    @Override
    protected void buildNetworks(int adapterLength, int conditionLength) {
        model = new CvaeModel(CvaeArchitecture.plan(config, adapterLength), config.latentDim(), conditionLength);
        model.initialize(manager);
        enableGradients(model);
    }

    @Override
    protected int paddedLength() {
        return model.plan().paddedLength();
    }

    @Override
    protected List<TrainingReport> train(PreparedData data, TrainingRun run, String fingerprint) {
        Map<String, Parameter> parameters = TrainableParameters.of(model);
        ParameterStore store = new ParameterStore(manager, false);
        return List.of(TrainingLoop.of("cvae", model).adamW(config.learningRate(), config.weightDecay())
                .epochs(config.epochs()).run(run).fingerprint(fingerprint)
                .train(optimizer -> (epoch, random) -> trainEpoch(data, store, optimizer, parameters,
                        config.learningRateAt(epoch - 1), random)));
    }

    private Map<String, Double> trainEpoch(PreparedData data, ParameterStore store, AdamW optimizer,
            Map<String, Parameter> parameters, float learningRate, Random random) {
        double mse = 0;
        double kl = 0;
        double total = 0;
        List<int[]> batches = data.batches(config.batchSize(), random);
        for (int[] batch : batches) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(data.adapterBatch(batch), new Shape(batch.length, data.paddedLength()));
                NDArray c = scope.create(data.conditionBatch(batch), new Shape(batch.length, data.conditionLength()));
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDList out = model.forward(store, new NDList(x, c), true);
                    CvaeLoss.Parts loss = CvaeLoss.compute(out.get(0), x, out.get(1), out.get(2), config.klWeight());
                    collector.backward(loss.total());
                    mse += loss.mse().getFloat();
                    kl += loss.kl().getFloat();
                    total += loss.total().getFloat();
                }
                optimizer.step(parameters, learningRate);
            }
        }
        Map<String, Double> parts = new LinkedHashMap<>();
        parts.put("loss", total / batches.size());
        parts.put("mse", mse / batches.size());
        parts.put("kl", kl / batches.size());
        return parts;
    }

    @Override
    protected float[] decode(float[] conditions, int rows, Random random) {
        float[] z = new float[rows * config.latentDim()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray zs = scope.create(z, new Shape(rows, config.latentDim()));
            NDArray cs = scope.create(conditions, new Shape(rows, conditions.length / rows));
            return model.decode(new ParameterStore(scope, false), zs, cs, false).toFloatArray();
        }
    }

    @Override
    protected NDList exportNetworks(JsonObject metadata, NDManager scope) {
        return ParameterTensors.export(model, "model.", scope);
    }

    @Override
    protected void restoreNetworks(JsonObject metadata, NDList tensors, String source) {
        ParameterTensors.restore(model, "model.", tensors, source);
    }
}
