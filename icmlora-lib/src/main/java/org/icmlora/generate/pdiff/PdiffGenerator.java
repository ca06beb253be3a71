package org.icmlora.generate.pdiff;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * COND P-DIFF (Jin et al. 2024) as a baseline generator: a {@link ParameterAutoencoder} learns a compact latent of the
 * normalised adapter vectors (with input and latent noise augmentation, latent clamped to [-1, 1]); then a
 * conditional DDPM ({@link DdpmSchedule}, {@link LatentDenoiser}, epsilon prediction) learns those latents given the
 * task vector. Generation runs the T reverse steps from seeded Gaussian noise (clamping to the autoencoder's latent
 * range [-1, 1] after each step, as the reference), decodes, crops and de-normalises.
 *
 * <p>Deviation from the reference: the latents are divided by their root-mean-square (one scalar, fitted after the
 * autoencoder and stored) before diffusion and multiplied back before decoding. Tanh latents are often much smaller
 * than 1, and then the unit-variance diffusion noise drowns them at almost every timestep; p-diff users report
 * collapsing samples for badly scaled latents. The two phases checkpoint separately ("pdiff-ae",
 * "pdiff-ddpm"); {@link TrainingRun#stopAfterEpoch()} counts autoencoder epochs first, then denoiser epochs.
 */
public final class PdiffGenerator implements LoraGenerator {

    /** Kind written into artifacts. */
    public static final String KIND = "cond-pdiff";

    private static final Gson GSON = new Gson();

    private final PdiffConfig config;
    private final DdpmSchedule schedule;
    private final NDManager manager = KitEngine.newManager();
    private Standardization standardization;
    private ParameterAutoencoder autoencoder;
    private LatentDenoiser denoiser;
    private float latentScale = 1f;

    /** An untrained generator with {@code config}. */
    public PdiffGenerator(PdiffConfig config) {
        this.config = config;
        this.schedule = new DdpmSchedule(config.timesteps(), config.betaStart(), config.betaEnd());
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public FitReport fit(TrainingSet data, TrainingRun run) {
        standardization = Standardization.fit(data, config.normalization());
        buildModels(data.adapterLength(), data.conditionLength());
        PreparedData prepared = new PreparedData(data, standardization, autoencoder.paddedLength());
        String fingerprint = AtomicFiles.sha256(KIND + GSON.toJson(config) + prepared.fingerprint());
        int stop = run.stopAfterEpoch();
        int aeEpochs = config.aeEpochs();
        ParameterStore store = new ParameterStore(manager, false);
        FitReport ae;
        try (NDManager optimizerState = manager.newSubManager()) {
            AdamW optimizer = new AdamW(config.learningRate(), config.weightDecay(), optimizerState);
            Map<String, Parameter> parameters = TrainableParameters.of(autoencoder);
            ae = ResumableTraining.run("pdiff-ae", aeEpochs, config.seed(), new TrainingRun(run.workDir(),
                    run.checkpointEvery(), stop > 0 && stop < aeEpochs ? stop : -1), fingerprint, autoencoder,
                    optimizer, manager, (epoch, random) -> autoencoderEpoch(prepared, store, optimizer, parameters,
                            random));
        }
        if (!ae.complete() || stop == aeEpochs) {
            return new FitReport(ae.epochsDone(), false, ae.lastLosses(), ae.seconds(), ae.resumedFrom());
        }
        float[][] latents = encodeAll(prepared, store);
        latentScale = rootMeanSquare(latents);
        for (float[] latent : latents) {
            for (int i = 0; i < latent.length; i++) {
                latent[i] /= latentScale;
            }
        }
        FitReport ddpm;
        try (NDManager optimizerState = manager.newSubManager()) {
            AdamW optimizer = new AdamW(config.learningRate(), config.weightDecay(), optimizerState);
            Map<String, Parameter> parameters = TrainableParameters.of(denoiser);
            ddpm = ResumableTraining.run("pdiff-ddpm", config.ddpmEpochs(), config.seed() + 1, new TrainingRun(
                    run.workDir(), run.checkpointEvery(), stop > aeEpochs ? stop - aeEpochs : -1), fingerprint,
                    denoiser, optimizer, manager, (epoch, random) -> denoiserEpoch(prepared, latents, store,
                            optimizer, parameters, random));
        }
        Map<String, Double> losses = new java.util.LinkedHashMap<>(ae.lastLosses());
        losses.putAll(ddpm.lastLosses());
        return new FitReport(aeEpochs + ddpm.epochsDone(), ddpm.complete(), losses,
                ae.seconds() + ddpm.seconds(), ae.resumedFrom() < aeEpochs ? ae.resumedFrom()
                        : aeEpochs + ddpm.resumedFrom());
    }

    private Map<String, Double> autoencoderEpoch(PreparedData data, ParameterStore store, AdamW optimizer,
            Map<String, Parameter> parameters, Random random) {
        double total = 0;
        List<int[]> batches = data.batches(config.batchSize(), random);
        for (int[] batch : batches) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(data.adapterBatch(batch), new Shape(batch.length, data.paddedLength()));
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = autoencoder.trainingLoss(store, x, config.inputNoise(), config.latentNoise());
                    collector.backward(loss);
                    total += loss.getFloat();
                }
                optimizer.step(parameters);
            }
        }
        return Map.of("ae_mse", total / batches.size());
    }

    private float[][] encodeAll(PreparedData data, ParameterStore store) {
        float[][] latents = new float[data.size()][];
        for (int i = 0; i < data.size(); i++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(data.adapterBatch(new int[] {i}), new Shape(1, data.paddedLength()));
                latents[i] = autoencoder.encode(store, x, false).clip(-1, 1).toFloatArray();
            }
        }
        return latents;
    }

    /** Root-mean-square of all latent values (1 if they are all zero). */
    private static float rootMeanSquare(float[][] latents) {
        double sum = 0;
        long count = 0;
        for (float[] latent : latents) {
            for (float v : latent) {
                sum += v * (double) v;
                count++;
            }
        }
        double rms = Math.sqrt(sum / count);
        return rms > 1e-8 ? (float) rms : 1f;
    }

    private Map<String, Double> denoiserEpoch(PreparedData data, float[][] latents, ParameterStore store,
            AdamW optimizer, Map<String, Parameter> parameters, Random random) {
        double total = 0;
        int size = autoencoder.latentSize();
        List<int[]> batches = data.batches(config.batchSize(), random);
        for (int[] batch : batches) {
            float[] noisy = new float[batch.length * size];
            float[] noise = new float[batch.length * size];
            int[] steps = new int[batch.length];
            for (int r = 0; r < batch.length; r++) {
                int t = random.nextInt(schedule.timesteps());
                steps[r] = t;
                double signal = Math.sqrt(schedule.alphaBar(t));
                double spread = Math.sqrt(1 - schedule.alphaBar(t));
                for (int i = 0; i < size; i++) {
                    float eps = (float) random.nextGaussian();
                    noise[r * size + i] = eps;
                    noisy[r * size + i] = (float) (signal * latents[batch[r]][i] + spread * eps);
                }
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray xt = scope.create(noisy, new Shape(batch.length, size));
                NDArray eps = scope.create(noise, new Shape(batch.length, size));
                NDArray c = scope.create(data.conditionBatch(batch), new Shape(batch.length, data.conditionLength()));
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray predicted = denoiser.forward(store, new NDList(xt, timeFeatures(scope, steps), c), true)
                            .singletonOrThrow();
                    NDArray loss = predicted.sub(eps).square().mean();
                    collector.backward(loss);
                    total += loss.getFloat();
                }
                optimizer.step(parameters);
            }
        }
        return Map.of("ddpm_mse", total / batches.size());
    }

    private NDArray timeFeatures(NDManager scope, int[] steps) {
        return scope.create(LatentDenoiser.timeFeatures(steps, config.timeEmbedding()),
                new Shape(steps.length, config.timeEmbedding()));
    }

    @Override
    public Generation generate(float[] taskVector, int samples, long seed) {
        if (denoiser == null) {
            throw new IllegalStateException("this P-DIFF generator is not trained: call fit(...) or load(...) first");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        long start = System.nanoTime();
        float[] condition = standardization.conditions().apply(taskVector);
        float[] conditions = new float[samples * condition.length];
        for (int s = 0; s < samples; s++) {
            System.arraycopy(condition, 0, conditions, s * condition.length, condition.length);
        }
        int size = autoencoder.latentSize();
        Random random = new Random(seed);
        float[] x = gaussian(random, samples * size);
        ParameterStore store = new ParameterStore(manager, false);
        for (int t = schedule.timesteps() - 1; t >= 0; t--) {
            float[] predicted;
            try (NDManager scope = manager.newSubManager()) {
                int[] steps = new int[samples];
                java.util.Arrays.fill(steps, t);
                predicted = denoiser.forward(store, new NDList(scope.create(x, new Shape(samples, size)),
                        timeFeatures(scope, steps), scope.create(conditions, new Shape(samples, condition.length))), false)
                        .singletonOrThrow().toFloatArray();
            }
            schedule.reverseStep(x, predicted, gaussian(random, x.length), t);
            float bound = 1f / latentScale;
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.max(-bound, Math.min(bound, x[i]));
            }
        }
        for (int i = 0; i < x.length; i++) {
            x[i] *= latentScale;
        }
        float[] decoded;
        try (NDManager scope = manager.newSubManager()) {
            decoded = autoencoder.decode(store, scope.create(x, new Shape(samples, size)), false).toFloatArray();
        }
        int padded = autoencoder.paddedLength();
        int length = standardization.layout().size();
        List<float[]> adapters = new ArrayList<>(samples);
        for (int s = 0; s < samples; s++) {
            adapters.add(standardization.toAdapter(java.util.Arrays.copyOfRange(decoded, s * padded,
                    s * padded + length), KIND + " sample " + s));
        }
        return new Generation(adapters, System.nanoTime() - start);
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    @Override
    public long save(Path dir) {
        if (denoiser == null) {
            throw new IllegalStateException("this P-DIFF generator is not trained: call fit(...) before save(...)");
        }
        try (NDManager scope = manager.newSubManager()) {
            JsonObject metadata = new JsonObject();
            metadata.add("config", GSON.toJsonTree(config));
            metadata.addProperty("conditionLength", standardization.conditions().length());
            metadata.addProperty("latentScale", latentScale);
            NDList tensors = standardization.store(metadata, scope);
            tensors.addAll(ParameterTensors.export(autoencoder, "ae.", scope));
            tensors.addAll(ParameterTensors.export(denoiser, "denoiser.", scope));
            return GeneratorArtifacts.write(dir, KIND, metadata, tensors);
        }
    }

    /** Reads a generator written by {@link #save}. */
    public static PdiffGenerator load(Path dir) {
        try (NDManager scope = KitEngine.newManager()) {
            GeneratorArtifacts.Stored stored = GeneratorArtifacts.read(dir, scope);
            JsonObject metadata = stored.metadata();
            PdiffGenerator generator = new PdiffGenerator(GSON.fromJson(metadata.get("config"), PdiffConfig.class));
            generator.standardization = Standardization.restore(metadata, stored.tensors());
            generator.latentScale = metadata.get("latentScale").getAsFloat();
            generator.buildModels(generator.standardization.layout().size(),
                    metadata.get("conditionLength").getAsInt());
            ParameterTensors.restore(generator.autoencoder, "ae.", stored.tensors(), dir.toString());
            ParameterTensors.restore(generator.denoiser, "denoiser.", stored.tensors(), dir.toString());
            return generator;
        }
    }

    private void buildModels(int adapterLength, int conditionLength) {
        KitEngine.seed(config.seed());
        autoencoder = new ParameterAutoencoder(config, adapterLength);
        autoencoder.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32,
                new Shape(2, autoencoder.paddedLength()));
        denoiser = new LatentDenoiser(config, autoencoder.latentSize(), conditionLength);
        denoiser.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(2, autoencoder.latentSize()),
                new Shape(2, config.timeEmbedding()), new Shape(2, conditionLength));
        for (AbstractBlock block : List.of(autoencoder, denoiser)) {
            block.getParameters().forEach(p -> p.getValue().getArray()
                    .setRequiresGradient(p.getValue().requiresGradient()));
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
