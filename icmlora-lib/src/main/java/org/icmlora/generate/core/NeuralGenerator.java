package org.icmlora.generate.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.icmlora.engine.KitEngine;
import org.icmlora.store.AtomicFiles;
import org.icmlora.train.TrainingReport;
import org.icmlora.train.TrainingRun;

/**
 * What the two trained generators (ICM-LoRA's CVAE and COND P-DIFF) share, written once: standardising the training
 * set, fingerprinting it for checkpoints, turning a condition into a batch of rows, cropping the padding from what the
 * network writes and de-normalising it, and the artifact's metadata and tensors. A subclass supplies its networks:
 * how to build them, how to train them, how to decode normalised adapters from conditions, and which tensors to save.
 *
 * @param <C> the method's configuration
 */
public abstract class NeuralGenerator<C extends GeneratorConfig> implements LoraGenerator {

    private static final Gson GSON = new Gson();
    private static final String CONFIG = "config";
    private static final String CONDITION_LENGTH = "conditionLength";

    /** The method's configuration. */
    protected final C config;
    /** Owns the networks' parameters; closed with the generator. */
    protected final NDManager manager = KitEngine.newManager();
    private Standardization standardization;

    protected NeuralGenerator(C config) {
        this.config = config;
    }

    /** The configuration. */
    public C config() {
        return config;
    }

    /** How adapter vectors are standardised for this method. */
    protected abstract AdapterNormalizer.Scheme normalization();

    /** Builds the untrained networks for adapters of {@code adapterLength} and conditions of {@code conditionLength}. */
    protected abstract void buildNetworks(int adapterLength, int conditionLength);

    /** The length the networks read and write adapters at (the adapter zero-padded at its end). */
    protected abstract int paddedLength();

    /**
     * Trains the built networks on {@code data} and returns a report per training phase; {@code fingerprint}
     * identifies configuration and data.
     */
    protected abstract List<TrainingReport> train(PreparedData data, TrainingRun run, String fingerprint);

    /**
     * Decodes {@code rows} normalised, padded adapters ({@code rows * paddedLength()} values) from as many scaled
     * conditions ({@code conditions}, row after row), drawing noise from {@code random}.
     */
    protected abstract float[] decode(float[] conditions, int rows, Random random);

    /** The networks' tensors (and any fitted scalars, into {@code metadata}) for the artifact. */
    protected abstract NDList exportNetworks(JsonObject metadata, NDManager scope);

    /** Restores what {@link #exportNetworks} wrote into the built networks. */
    protected abstract void restoreNetworks(JsonObject metadata, NDList tensors, String source);

    @Override
    public final FitReport fit(TrainingSet data, TrainingRun run) {
        long start = System.nanoTime();
        standardization = Standardization.fit(data, normalization());
        KitEngine.seeded(run.seed(), () -> buildNetworks(data.adapterLength(), data.conditionLength()));
        PreparedData prepared = new PreparedData(data, standardization, paddedLength());
        String fingerprint = AtomicFiles.sha256(kind() + GSON.toJson(config) + prepared.fingerprint());
        List<TrainingReport> phases = train(prepared, run, fingerprint);
        return new FitReport(phases, (System.nanoTime() - start) / 1e9);
    }

    @Override
    public final Generation generate(float[] taskVector, int samples, long seed) {
        requireFitted();
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        long start = System.nanoTime();
        float[] condition = standardization.conditions().apply(taskVector);
        float[] conditions = new float[samples * condition.length];
        for (int s = 0; s < samples; s++) {
            System.arraycopy(condition, 0, conditions, s * condition.length, condition.length);
        }
        float[] decoded = decode(conditions, samples, new Random(seed));
        int padded = paddedLength();
        int length = standardization.layout().size();
        List<float[]> adapters = new ArrayList<>(samples);
        for (int s = 0; s < samples; s++) {
            adapters.add(standardization.toAdapter(Arrays.copyOfRange(decoded, s * padded, s * padded + length),
                    kind() + " sample " + s));
        }
        return new Generation(adapters, System.nanoTime() - start);
    }

    @Override
    public final long parameterCount() {
        requireFitted();
        try (NDManager scope = manager.newSubManager()) {
            return exportNetworks(new JsonObject(), scope).stream().mapToLong(NDArray::size).sum();
        }
    }

    /** The fitted standardisation (layout, adapter normaliser, condition scaler). */
    protected final Standardization standardization() {
        requireFitted();
        return standardization;
    }

    @Override
    public final long save(Path dir) {
        requireFitted();
        try (NDManager scope = manager.newSubManager()) {
            JsonObject metadata = new JsonObject();
            metadata.add(CONFIG, GSON.toJsonTree(config));
            metadata.addProperty(CONDITION_LENGTH, standardization.conditions().length());
            NDList tensors = standardization.store(metadata, scope);
            tensors.addAll(exportNetworks(metadata, scope));
            return GeneratorFiles.write(dir, kind(), metadata, tensors);
        }
    }

    /**
     * Reads a generator of configuration type {@code type} from {@code dir}: {@code create} makes the untrained
     * generator from the stored configuration, then its networks are built and restored.
     */
    protected static <C extends GeneratorConfig, G extends NeuralGenerator<C>> G load(Path dir, Class<C> type,
            Function<C, G> create) {
        try (NDManager scope = KitEngine.newManager()) {
            GeneratorFiles.Stored stored = GeneratorFiles.read(dir, scope);
            JsonObject metadata = stored.metadata();
            G generator = create.apply(GSON.fromJson(metadata.get(CONFIG), type));
            NeuralGenerator<C> skeleton = generator; // private members are not visible through a type variable
            skeleton.restore(metadata, stored.tensors(), dir.toString());
            return generator;
        }
    }

    private void restore(JsonObject metadata, NDList tensors, String source) {
        standardization = Standardization.restore(metadata, tensors);
        // the restored tensors replace the initial weights the networks draw
        KitEngine.seeded(0, () -> buildNetworks(standardization.layout().size(),
                metadata.get(CONDITION_LENGTH).getAsInt()));
        restoreNetworks(metadata, tensors, source);
    }

    private void requireFitted() {
        if (standardization == null) {
            throw new IllegalStateException("this " + kind() + " generator is not trained: call fit(...) or load(...)"
                    + " first");
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
