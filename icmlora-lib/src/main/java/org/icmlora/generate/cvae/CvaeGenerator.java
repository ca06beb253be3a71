package org.icmlora.generate.cvae;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.icmlora.engine.KitEngine;
import org.icmlora.generate.FitReport;
import org.icmlora.generate.Generation;
import org.icmlora.generate.GeneratorArtifacts;
import org.icmlora.generate.LoraGenerator;
import org.icmlora.generate.PreparedData;
import org.icmlora.generate.Standardization;
import org.icmlora.generate.TrainingRun;
import org.icmlora.generate.TrainingSet;
import org.icmlora.generate.nn.ParameterTensors;
import org.icmlora.generate.nn.ResumableTraining;
import org.icmlora.store.AtomicFiles;
import org.icmlora.train.AdamW;
import org.icmlora.train.TrainableParameters;

/**
 * ICM-LoRA: a conditional VAE ({@link CvaeModel}) trained on the adapter checkpoints of several tasks at once,
 * conditioned on each task's vector; generation decodes {@code z ~ N(0, I)} with the task vector (paper Eq. 9),
 * crops the padding and de-normalises with the stored statistics.
 */
public final class CvaeGenerator implements LoraGenerator {

    /** Kind written into artifacts. */
    public static final String KIND = "icm-lora-cvae";

    private static final Gson GSON = new Gson();

    private final CvaeConfig config;
    private final NDManager manager = KitEngine.newManager();
    private Standardization standardization;
    private CvaeModel model;

    /** An untrained generator with {@code config}. */
    public CvaeGenerator(CvaeConfig config) {
        this.config = config;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The configuration. */
    public CvaeConfig config() {
        return config;
    }

    /** The network (after {@link #fit} or {@link #load}). */
    public CvaeModel model() {
        requireFitted();
        return model;
    }

    @Override
    public FitReport fit(TrainingSet data, TrainingRun run) {
        standardization = Standardization.fit(data, config.normalization());
        CvaeArchitecture plan = CvaeArchitecture.plan(config, data.adapterLength());
        PreparedData prepared = new PreparedData(data, standardization, plan.paddedLength());
        buildModel(plan, data.conditionLength());
        Map<String, Parameter> parameters = TrainableParameters.of(model);
        String fingerprint = AtomicFiles.sha256(KIND + GSON.toJson(config) + prepared.fingerprint());
        ParameterStore store = new ParameterStore(manager, false);
        try (NDManager optimizerState = manager.newSubManager()) {
            AdamW optimizer = new AdamW(config.learningRate(), config.weightDecay(), optimizerState);
            return ResumableTraining.run("cvae", config.epochs(), config.seed(), run, fingerprint, model, optimizer,
                    manager, (epoch, random) -> trainEpoch(prepared, store, optimizer, parameters,
                            config.learningRateAt(epoch), random));
        }
    }

    private Map<String, Double> trainEpoch(PreparedData data, ParameterStore store, AdamW optimizer,
            Map<String, Parameter> parameters, float lr, Random random) {
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
                    CvaeModel.Loss loss = CvaeModel.loss(out.get(0), x, out.get(1), out.get(2), config.klWeight());
                    collector.backward(loss.total());
                    mse += loss.mse().getFloat();
                    kl += loss.kl().getFloat();
                    total += loss.total().getFloat();
                }
                optimizer.step(parameters, lr);
            }
        }
        Map<String, Double> parts = new LinkedHashMap<>();
        parts.put("loss", total / batches.size());
        parts.put("mse", mse / batches.size());
        parts.put("kl", kl / batches.size());
        return parts;
    }

    @Override
    public Generation generate(float[] taskVector, int samples, long seed) {
        requireFitted();
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        long start = System.nanoTime();
        float[] condition = standardization.conditions().apply(taskVector);
        Random random = new Random(seed);
        float[] z = new float[samples * config.latentDim()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        float[] conditions = new float[samples * condition.length];
        for (int s = 0; s < samples; s++) {
            System.arraycopy(condition, 0, conditions, s * condition.length, condition.length);
        }
        CvaeArchitecture plan = model.plan();
        float[] decoded;
        try (NDManager scope = manager.newSubManager()) {
            NDArray zs = scope.create(z, new Shape(samples, config.latentDim()));
            NDArray cs = scope.create(conditions, new Shape(samples, condition.length));
            decoded = model.decode(new ParameterStore(scope, false), zs, cs, false).toFloatArray();
        }
        List<float[]> adapters = new ArrayList<>(samples);
        for (int s = 0; s < samples; s++) {
            float[] normalized = java.util.Arrays.copyOfRange(decoded, s * plan.paddedLength(),
                    s * plan.paddedLength() + plan.adapterLength());
            adapters.add(standardization.toAdapter(normalized, KIND + " sample " + s));
        }
        return new Generation(adapters, System.nanoTime() - start);
    }

    @Override
    public long save(Path dir) {
        requireFitted();
        try (NDManager scope = manager.newSubManager()) {
            JsonObject metadata = new JsonObject();
            metadata.add("config", GSON.toJsonTree(config));
            metadata.addProperty("conditionLength", standardization.conditions().length());
            NDList tensors = standardization.store(metadata, scope);
            tensors.addAll(ParameterTensors.export(model, "model.", scope));
            return GeneratorArtifacts.write(dir, KIND, metadata, tensors);
        }
    }

    /** Reads a generator written by {@link #save}. */
    public static CvaeGenerator load(Path dir) {
        CvaeGenerator generator;
        try (NDManager scope = KitEngine.newManager()) {
            GeneratorArtifacts.Stored stored = GeneratorArtifacts.read(dir, scope);
            JsonObject metadata = stored.metadata();
            generator = new CvaeGenerator(GSON.fromJson(metadata.get("config"), CvaeConfig.class));
            generator.standardization = Standardization.restore(metadata, stored.tensors());
            generator.buildModel(CvaeArchitecture.plan(generator.config, generator.standardization.layout().size()),
                    metadata.get("conditionLength").getAsInt());
            ParameterTensors.restore(generator.model, "model.", stored.tensors(), dir.toString());
        }
        return generator;
    }

    private void buildModel(CvaeArchitecture plan, int conditionLength) {
        if (model != null) {
            model.getParameters().forEach(p -> p.getValue().close());
        }
        KitEngine.seed(config.seed());
        model = new CvaeModel(plan, config.latentDim(), conditionLength);
        model.initialize(manager);
        model.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(p.getValue().requiresGradient()));
    }

    private void requireFitted() {
        if (model == null) {
            throw new IllegalStateException("this CVAE generator is not trained: call fit(...) or load(...) first");
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
