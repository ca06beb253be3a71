package org.icmlora.generate.soup;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.icmlora.engine.KitEngine;
import org.icmlora.generate.core.FitReport;
import org.icmlora.generate.core.Generation;
import org.icmlora.generate.core.GeneratorFiles;
import org.icmlora.generate.core.LoraGenerator;
import org.icmlora.generate.core.SoupConfig;
import org.icmlora.generate.core.TrainingSet;
import org.icmlora.lora.LoraLayout;
import org.icmlora.train.TrainingRun;

/**
 * Model Soup (Wortsman et al. 2022), the uniform soup, as a LoRA "generator".
 *
 * <p>With {@link SoupConfig.Averaging#MERGED_DELTAS} the soup of a layer is the mean weight change
 * {@code D = mean_i(s * B_i * A_i)}. The kit evaluates adapters of the layout's rank r, so D is returned as the rank-r
 * adapter closest to it in Frobenius norm (Eckart-Young: the truncated SVD {@code U_r S_r V_r^T}, split as
 * {@code B = U_r sqrt(S_r / s)}, {@code A = sqrt(S_r / s) V_r^T}). The mean of N rank-r deltas generally has rank up to
 * N * r, so this truncation loses something; {@link #truncationErrors()} reports, per layer, the relative Frobenius
 * error {@code ||D - D_r|| / ||D||}. An exact representation would need rank N * r and so a different layout than the
 * one every other method is evaluated with. {@link SoupConfig.Averaging#FACTORS} averages A and B separately instead
 * (cheap, exact in its own terms, but a different model).
 *
 * <p>Generating for a task returns the soup: the single soup for {@link SoupConfig.Scope#ALL_TASKS}, or for
 * {@link SoupConfig.Scope#PER_TASK} the soup of the training task whose task vector is nearest (Euclidean) to the
 * given one. Sampling is deterministic, so all samples are equal. Storage is the stored soup vectors.
 */
public final class ModelSoup implements LoraGenerator {

    /** Kind written into artifacts. */
    public static final String KIND = "model-soup";

    private static final Gson GSON = new Gson();
    private static final String ALL = "*";

    private final SoupConfig config;
    private LoraLayout layout;
    private final Map<String, float[]> soups = new LinkedHashMap<>();
    private final Map<String, float[]> taskVectors = new LinkedHashMap<>();
    private final Map<String, Double> truncationErrors = new LinkedHashMap<>();

    /** An empty soup with {@code config}. */
    public ModelSoup(SoupConfig config) {
        this.config = config;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public FitReport fit(TrainingSet data, TrainingRun run) {
        long start = System.nanoTime();
        layout = data.layout();
        soups.clear();
        taskVectors.clear();
        truncationErrors.clear();
        for (String task : data.taskIds()) {
            taskVectors.put(task, data.taskVector(task));
        }
        if (config.scope() == SoupConfig.Scope.ALL_TASKS) {
            List<float[]> all = data.pairs().stream().map(p -> p.adapter()).toList();
            soups.put(ALL, soup(all, ""));
        } else {
            for (String task : data.taskIds()) {
                soups.put(task, soup(data.adaptersOf(task), task + "/"));
            }
        }
        return FitReport.closedForm((System.nanoTime() - start) / 1e9);
    }

    /** The stored soups' values: one adapter (all tasks) or one per task. */
    @Override
    public long parameterCount() {
        return soups.values().stream().mapToLong(soup -> soup.length).sum();
    }

    /**
     * Relative Frobenius error of the rank-r representation per layer (keys {@code layer} or {@code task/layer});
     * empty for factor averaging, which is exact in its own terms. In fitting order: tasks, then layers.
     */
    public Map<String, Double> truncationErrors() {
        return Collections.unmodifiableMap(truncationErrors);
    }

    private float[] soup(List<float[]> adapters, String errorPrefix) {
        if (config.averaging() == SoupConfig.Averaging.FACTORS) {
            float[] mean = new float[layout.size()];
            for (float[] a : adapters) {
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += a[i] / adapters.size();
                }
            }
            return mean;
        }
        float[] result = new float[layout.size()];
        int r = layout.rank();
        double s = layout.scaling();
        for (int l = 0; l < layout.layers().size(); l++) {
            LoraLayout.Layer layer = layout.layers().get(l);
            double[][] delta = meanDelta(adapters, l);
            Svd svd = Svd.of(delta);
            truncationErrors.put(errorPrefix + layer.name(), svd.truncationError(r));
            int aOffset = layout.offsetOfA(l);
            int bOffset = layout.offsetOfB(l);
            for (int k = 0; k < Math.min(r, svd.sigma().length); k++) {
                double root = Math.sqrt(svd.sigma()[k] / s);
                for (int j = 0; j < layer.inFeatures(); j++) {
                    result[aOffset + k * layer.inFeatures() + j] = (float) (root * svd.v()[j][k]);
                }
                for (int o = 0; o < layer.outFeatures(); o++) {
                    result[bOffset + o * r + k] = (float) (root * svd.u()[o][k]);
                }
            }
        }
        return result;
    }

    /** {@code mean_i(s * B_i * A_i)} of layer {@code l}, as an {@code out x in} matrix. */
    private double[][] meanDelta(List<float[]> adapters, int l) {
        LoraLayout.Layer layer = layout.layers().get(l);
        int in = layer.inFeatures();
        int out = layer.outFeatures();
        int r = layout.rank();
        int aOffset = layout.offsetOfA(l);
        int bOffset = layout.offsetOfB(l);
        double[][] delta = new double[out][in];
        double weight = layout.scaling() / (double) adapters.size();
        for (float[] v : adapters) {
            for (int o = 0; o < out; o++) {
                double[] row = delta[o];
                for (int k = 0; k < r; k++) {
                    double b = weight * v[bOffset + o * r + k];
                    int aRow = aOffset + k * in;
                    for (int j = 0; j < in; j++) {
                        row[j] += b * v[aRow + j];
                    }
                }
            }
        }
        return delta;
    }

    @Override
    public Generation generate(float[] taskVector, int samples, long seed) {
        if (layout == null) {
            throw new IllegalStateException("this Model Soup is empty: call fit(...) or load(...) first");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        long start = System.nanoTime();
        float[] soup = config.scope() == SoupConfig.Scope.ALL_TASKS ? soups.get(ALL)
                : soups.get(nearestTask(taskVector));
        List<float[]> result = new ArrayList<>(samples);
        for (int i = 0; i < samples; i++) {
            result.add(soup.clone());
        }
        return new Generation(result, System.nanoTime() - start);
    }

    private String nearestTask(float[] taskVector) {
        String best = null;
        double bestDistance = Double.MAX_VALUE;
        for (var entry : taskVectors.entrySet()) {
            float[] known = entry.getValue();
            if (known.length != taskVector.length) {
                throw new IllegalArgumentException("the soup was fitted with task vectors of length " + known.length
                        + ", got one of length " + taskVector.length);
            }
            double d = 0;
            for (int i = 0; i < known.length; i++) {
                d += (known[i] - taskVector[i]) * (double) (known[i] - taskVector[i]);
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = entry.getKey();
            }
        }
        return best;
    }

    @Override
    public long save(Path dir) {
        if (layout == null) {
            throw new IllegalStateException("this Model Soup is empty: call fit(...) before save(...)");
        }
        try (NDManager manager = KitEngine.newManager()) {
            NDList tensors = new NDList();
            for (var entry : soups.entrySet()) {
                NDArray array = manager.create(entry.getValue());
                array.setName("soup." + entry.getKey());
                tensors.add(array);
            }
            JsonObject metadata = new JsonObject();
            metadata.add("config", GSON.toJsonTree(config));
            metadata.addProperty("layout", layout.toJson());
            metadata.add("taskVectors", GSON.toJsonTree(taskVectors));
            metadata.add("truncationErrors", GSON.toJsonTree(truncationErrors));
            return GeneratorFiles.write(dir, KIND, metadata, tensors);
        }
    }

    /** Reads a soup written by {@link #save}. */
    public static ModelSoup load(Path dir) {
        try (NDManager manager = KitEngine.newManager()) {
            GeneratorFiles.Stored stored = GeneratorFiles.read(dir, manager);
            JsonObject metadata = stored.metadata();
            ModelSoup soup = new ModelSoup(GSON.fromJson(metadata.get("config"), SoupConfig.class));
            soup.layout = LoraLayout.fromJson(metadata.get("layout").getAsString());
            for (var entry : metadata.getAsJsonObject("taskVectors").entrySet()) {
                soup.taskVectors.put(entry.getKey(), GSON.fromJson(entry.getValue(), float[].class));
            }
            for (var entry : metadata.getAsJsonObject("truncationErrors").entrySet()) {
                soup.truncationErrors.put(entry.getKey(), entry.getValue().getAsDouble());
            }
            for (NDArray array : stored.tensors()) {
                float[] vector = array.toFloatArray();
                soup.layout.validate(vector, dir + " " + array.getName());
                soup.soups.put(array.getName().substring("soup.".length()), vector);
            }
            return soup;
        }
    }

    @Override
    public void close() {
        // plain Java arrays only
    }
}
