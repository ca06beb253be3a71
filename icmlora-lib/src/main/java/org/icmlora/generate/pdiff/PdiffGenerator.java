package org.icmlora.generate.pdiff;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.icmlora.generate.core.Generation;
import org.icmlora.generate.core.AdapterNormalizer;
import org.icmlora.generate.core.NeuralGenerator;
import org.icmlora.generate.core.PdiffConfig;
import org.icmlora.generate.core.PreparedData;
import org.icmlora.train.AdamW;
import org.icmlora.train.ParameterTensors;
import org.icmlora.train.TrainableParameters;
import org.icmlora.train.TrainingLoop;
import org.icmlora.train.TrainingReport;
import org.icmlora.train.TrainingRun;

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
public final class PdiffGenerator extends NeuralGenerator<PdiffConfig> {

    /** Kind written into artifacts. */
    public static final String KIND = "cond-pdiff";

    private static final String LATENT_SCALE = "latentScale";

    private final DdpmSchedule schedule;
    private ParameterAutoencoder autoencoder;
    private LatentDenoiser denoiser;
    private float latentScale = 1f;

    /** An untrained generator with {@code config}. */
    public PdiffGenerator(PdiffConfig config) {
        super(config);
        this.schedule = new DdpmSchedule(config.timesteps(), config.betaStart(), config.betaEnd());
    }

    /** Reads a generator written by {@link #save}. */
    public static PdiffGenerator load(Path dir) {
        return load(dir, PdiffConfig.class, PdiffGenerator::new);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    protected AdapterNormalizer.Scheme normalization() {
        return config.normalization();
    }

    @Override
    protected void buildNetworks(int adapterLength, int conditionLength) {
        autoencoder = new ParameterAutoencoder(config, adapterLength);
        autoencoder.initialize(manager, DataType.FLOAT32, new Shape(2, autoencoder.paddedLength()));
        denoiser = new LatentDenoiser(config, autoencoder.latentSize(), conditionLength);
        denoiser.initialize(manager, DataType.FLOAT32, new Shape(2, autoencoder.latentSize()),
                new Shape(2, config.timeEmbedding()), new Shape(2, conditionLength));
        enableGradients(autoencoder, denoiser);
    }

    @Override
    protected int paddedLength() {
        return autoencoder.paddedLength();
    }

    @Override
    protected List<TrainingReport> train(PreparedData data, TrainingRun run, String fingerprint) {
        int stop = run.stopAfterEpoch();
        int aeEpochs = config.aeEpochs();
        ParameterStore store = new ParameterStore(manager, false);
        Map<String, Parameter> aeParameters = TrainableParameters.of(autoencoder);
        TrainingReport ae = TrainingLoop.of("pdiff-ae", autoencoder).adamW(config.learningRate(),
                config.weightDecay()).epochs(aeEpochs).run(run.with(run.workDir(), stop > 0 && stop < aeEpochs ? stop
                        : -1)).fingerprint(fingerprint)
                .train(optimizer -> (epoch, random) -> autoencoderEpoch(data, store, optimizer, aeParameters, random));
        if (!ae.complete() || stop == aeEpochs) {
            return List.of(ae, new TrainingReport("pdiff-ddpm", List.of(), 0, false, 0, 0)); // not started yet
        }
        float[][] latents = encodeAll(data, store);
        latentScale = rootMeanSquare(latents);
        for (float[] latent : latents) {
            for (int i = 0; i < latent.length; i++) {
                latent[i] /= latentScale;
            }
        }
        Map<String, Parameter> denoiserParameters = TrainableParameters.of(denoiser);
        TrainingReport ddpm = TrainingLoop.of("pdiff-ddpm", denoiser).adamW(config.learningRate(),
                config.weightDecay()).epochs(config.ddpmEpochs()).run(run.with(run.workDir(), stop > aeEpochs
                        ? stop - aeEpochs : -1)).fingerprint(fingerprint)
                .train(optimizer -> (epoch, random) -> denoiserEpoch(data, latents, store, optimizer,
                        denoiserParameters, random));
        return List.of(ae, ddpm);
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
    protected float[] decode(float[] conditions, int rows, Random random) {
        int size = autoencoder.latentSize();
        int conditionLength = conditions.length / rows;
        float[] x = gaussian(random, rows * size);
        ParameterStore store = new ParameterStore(manager, false);
        for (int t = schedule.timesteps() - 1; t >= 0; t--) {
            float[] predicted;
            try (NDManager scope = manager.newSubManager()) {
                int[] steps = new int[rows];
                java.util.Arrays.fill(steps, t);
                predicted = denoiser.forward(store, new NDList(scope.create(x, new Shape(rows, size)),
                        timeFeatures(scope, steps), scope.create(conditions, new Shape(rows, conditionLength))), false)
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
        try (NDManager scope = manager.newSubManager()) {
            return autoencoder.decode(store, scope.create(x, new Shape(rows, size)), false).toFloatArray();
        }
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    @Override
    protected NDList exportNetworks(JsonObject metadata, NDManager scope) {
        metadata.addProperty(LATENT_SCALE, latentScale);
        NDList tensors = ParameterTensors.export(autoencoder, "ae.", scope);
        tensors.addAll(ParameterTensors.export(denoiser, "denoiser.", scope));
        return tensors;
    }

    @Override
    protected void restoreNetworks(JsonObject metadata, NDList tensors, String source) {
        latentScale = metadata.get(LATENT_SCALE).getAsFloat();
        ParameterTensors.restore(autoencoder, "ae.", tensors, source);
        ParameterTensors.restore(denoiser, "denoiser.", tensors, source);
    }
}
