package org.icmlora.tracks.detection;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonElement;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.icmlora.data.scenes.CompositionSettings;
import org.icmlora.data.scenes.Garment;
import org.icmlora.data.scenes.SceneSplit;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.Seeds;
import org.icmlora.eval.CocoAveragePrecision;
import org.icmlora.lora.Adapter;
import org.icmlora.lora.AdapterSeries;
import org.icmlora.lora.LoraAdapters;
import org.icmlora.lora.LoraConfig;
import org.icmlora.lora.LoraLayout;
import org.icmlora.lora.LoraSettings;
import org.icmlora.models.detector.DetectorConfig;
import org.icmlora.models.detector.GridCodec;
import org.icmlora.models.detector.PromptDetector;
import org.icmlora.store.ArtifactStore;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.StageKey;
import org.icmlora.tracks.Evaluation;
import org.icmlora.tracks.Metric;
import org.icmlora.tracks.Task;
import org.icmlora.tracks.TaskVectors;
import org.icmlora.tracks.Track;
import org.icmlora.train.KeepLastEpochs;
import org.icmlora.train.TrainingLoop;
import org.icmlora.train.TrainingReport;
import org.icmlora.train.TrainingRun;

/**
 * The detection track (the paper's Tables 1, 3-6 and Figures 2, 4, 5): a small prompt-conditioned detector on scenes
 * composed from Fashion-MNIST photographs; a task is a garment category, described by its prompt ("Detect the sneaker
 * in the picture."). The tables use the five task categories; the extra categories are tasks in the same adapter frame
 * for the held-out experiment.
 *
 * <ul>
 *   <li>base model (stage {@code detection-base}): pretrained on the base categories from {@code baseSeed}, shared
 *       by every run seed;</li>
 *   <li>adapter series (stage {@code detection-lora}): LoRA fine-tuning of the base model on one category. Every
 *       category's adapters start from the same initialisation (A drawn from a seed of the run and the rank only),
 *       so the flat vectors of different tasks live in one coordinate frame; batch order is the task's own;</li>
 *   <li>hidden states for Eq. 1: the prompt token after the last block and layer norm ({@code hidden[:, 0]} of
 *       {@link PromptDetector}). It has attended to every grid cell under the prompt, so it summarises the picture as
 *       the model sees it, as the last token of a causal model summarises its input; N validation scenes;</li>
 *   <li>evaluation: COCO mAP50 and mAP75 on the category's test scenes, prompted with the category.</li>
 * </ul>
 */
public final class DetectionTrack implements Track {

    private static final String BASE_FILE = "detector.params";
    private static final String SERIES_DIR = "series";
    private static final String TRAINING_FILE = "training.json";
    private static final String PROMPT_ENCODER = TaskVectors.ENCODER;
    private static final double NMS_IOU = 0.5;
    private static final int EVAL_BATCH = 64;

    private final DetectionConfig config;
    private final LoraSettings lora;
    private final long baseSeed;
    private final long seed;
    private final ArtifactStore store;
    private final DetectionScenes scenes;
    private final PromptEmbeddings embeddings;
    private final TaskVectors taskVectors;

    /**
     * A track over {@code scenes} (which must have been drawn from the same seeds) and the prompt embeddings, caching
     * its stages in {@code store}.
     */
    public DetectionTrack(DetectionConfig config, LoraSettings lora, long baseSeed, long seed, ArtifactStore store,
            DetectionScenes scenes, PromptEmbeddings embeddings) {
        this.config = config;
        this.lora = lora;
        this.baseSeed = baseSeed;
        this.seed = seed;
        this.store = store;
        this.scenes = scenes;
        this.embeddings = embeddings;
        this.taskVectors = new TaskVectors(this, store, lora.rank(), new HiddenStatesIdentity(config.scenes(),
                config.detector(), config.taskVectorScenes(), PROMPT_ENCODER, seed));
    }

    /** The track on the real data: Fashion-MNIST scenes and MiniLM prompt embeddings. */
    public static DetectionTrack open(DetectionConfig config, LoraSettings lora, long baseSeed, long seed,
            ArtifactStore store) {
        return new DetectionTrack(config, lora, baseSeed, seed, store,
                DetectionScenes.fashionMnist(config, baseSeed, seed), PromptEmbeddings.compute());
    }

    /**
     * What the hidden states of Eq. 1 depend on besides the model they run (whose stage key the task vectors' keys
     * include): the validation scenes (composition, count, run seed), the detector's shape and the prompt encoder. The
     * task lists are not part of it, so adding a task recomputes no other task's vectors.
     */
    private record HiddenStatesIdentity(CompositionSettings scenes, DetectorConfig detector, int taskVectorScenes,
            String promptEncoder, long seed) {}

    @Override
    public String id() {
        return "detection";
    }

    @Override
    public List<Task> tasks() {
        return config.taskCategories().stream().map(DetectionTrack::taskOf).toList();
    }

    @Override
    public List<Task> extraTasks() {
        return config.extraCategories().stream().map(DetectionTrack::taskOf).toList();
    }

    /** A garment as a task, described by its prompt: the detector's input and the paper's text task vector. */
    private static Task taskOf(Garment garment) {
        return new Task(garment.id(), garment.prompt());
    }

    @Override
    public List<Metric> metrics() {
        return List.of(new Metric("map50", true), new Metric("map75", true));
    }

    /** The configuration in use. */
    public DetectionConfig config() {
        return config;
    }

    /** The scenes of the track (for drawing). */
    public DetectionScenes scenes() {
        return scenes;
    }

    /** The garment of a task. */
    public Garment category(String task) {
        return Garment.parse(task(task).id());
    }

    @Override
    public LoraConfig adapterConfig(int rank) {
        return lora.config(rank, config.loraTargets());
    }

    @Override
    public LoraLayout layout(int rank) {
        return LoraAdapters.layoutFor(new PromptDetector(config.detector()), adapterConfig(rank));
    }

    // ---- base model -----------------------------------------------------------------------------------------------

    private record BaseStage(long seed, String promptEncoder, Object scenes, Object detector, List<Garment> categories,
            List<Garment> refused, double refusalRate, TrainingSettings training) {}

    private BaseStage baseStage() {
        return new BaseStage(baseSeed, PROMPT_ENCODER, config.scenes(), config.detector(), config.baseCategories(),
                config.refusedCategories(), config.refusalRate(), config.base());
    }

    @Override
    public StageKey baseKey() {
        return ArtifactStore.key("detection-base", baseStage());
    }

    /** The directory of the pretrained base detector ({@code detector.params}), training it first if needed. */
    @Override
    public Path baseModel() {
        StageKey key = baseKey();
        return store.getOrCompute(key, baseStage(), dir -> {
            try (NDManager manager = KitEngine.newManager()) {
                PromptDetector detector = new PromptDetector(config.detector());
                KitEngine.seeded(Seeds.derive(baseSeed, "detection-base-init"), () -> detector.initialize(manager));
                TrainingReport report = loop("detection-base", detector, config.base(),
                        TrainingRun.checkpointed(baseSeed, store.workDir(key), 1), key)
                        .train(optimizer -> new DetectorTraining(detector, scenes::baseSample, config.base(),
                                embeddings, manager, optimizer));
                AtomicFiles.write(dir.resolve(BASE_FILE), out -> detector.saveParameters(new DataOutputStream(out)));
                report.write(dir.resolve(TRAINING_FILE));
            }
        });
    }

    @Override
    public Optional<TrainingReport> baseTraining() {
        return TrainingReport.read(baseModel().resolve(TRAINING_FILE));
    }

    // ---- adapter series -------------------------------------------------------------------------------------------

    private record LoraStage(String task, LoraConfig lora, TrainingSettings training, int keptEpochs, long seed,
            Object scenes) {}

    private LoraStage loraStage(String task, int rank) {
        return new LoraStage(task, adapterConfig(rank), config.lora(), config.keptEpochs(), seed, config.scenes());
    }

    @Override
    public StageKey adaptersKey(String task, int rank) {
        return ArtifactStore.key("detection-lora", loraStage(task(task).id(), rank), baseKey());
    }

    @Override
    public AdapterSeries adapters(String task, int rank) {
        Garment category = category(task);
        Path base = baseModel();
        StageKey key = adaptersKey(task, rank);
        Path out = store.getOrCompute(key, loraStage(task, rank), dir -> {
            Path work = store.workDir(key);
            AdapterSeries series = new AdapterSeries(work.resolve(SERIES_DIR));
            try (NDManager manager = KitEngine.newManager()) {
                PromptDetector detector = loadBase(base, manager);
                detector.freezeNormalization(true);
                LoraConfig adapter = adapterConfig(rank);
                KitEngine.seeded(Seeds.derive(seed, "detection-lora-init", rank), // one initialisation for every task
                        () -> LoraAdapters.inject(detector, adapter, manager));
                loop("detection-lora", detector, config.lora(), TrainingRun.checkpointed(Seeds.derive(seed,
                        "detection-lora", category.label(), rank), work.resolve("training"), 1), key)
                        .onEpoch(new KeepLastEpochs(series, detector, adapter, config.lora().epochs(),
                                config.keptEpochs()))
                        .train(optimizer -> new DetectorTraining(detector, i -> scenes.taskSample(category,
                                SceneSplit.TRAIN, i), config.lora(), embeddings, manager, optimizer))
                        .write(dir.resolve(TRAINING_FILE));
            }
            series.copyTo(dir.resolve(SERIES_DIR));
        });
        return new AdapterSeries(out.resolve(SERIES_DIR));
    }

    @Override
    public int keptEpochs() {
        return config.keptEpochs();
    }

    @Override
    public Optional<TrainingReport> adapterTraining(String task, int rank) {
        return TrainingReport.read(adapters(task, rank).dir().getParent().resolve(TRAINING_FILE));
    }

    private static TrainingLoop loop(String name, PromptDetector detector, TrainingSettings settings,
            TrainingRun run, StageKey key) {
        return TrainingLoop.of(name, detector).adamW(settings.learningRate(), settings.weightDecay())
                .epochs(settings.epochs()).run(run).fingerprint(key.hash());
    }

    // ---- task vectors and evaluation ------------------------------------------------------------------------------

    @Override
    public TaskVectors taskVectors() {
        return taskVectors;
    }

    @Override
    public float[][] hiddenStates(String task, Optional<Adapter> adapter) {
        Garment category = category(task);
        List<DetectionSample> samples = new ArrayList<>();
        for (int i = 0; i < config.taskVectorScenes(); i++) {
            samples.add(scenes.taskSample(category, SceneSplit.VALIDATION, i));
        }
        List<float[]> vectors = new ArrayList<>();
        int dim = config.detector().dim();
        try (NDManager manager = KitEngine.newManager()) {
            PromptDetector detector = loadDetector(manager, adapter);
            forEachBatch(detector, 1, samples, manager, (batch, head, hidden) -> {
                float[] tokens = hidden.get(new NDIndex(":, 0, :")).toFloatArray();
                for (int i = 0; i < batch.size(); i++) {
                    vectors.add(Arrays.copyOfRange(tokens, i * dim, (i + 1) * dim));
                }
            });
        }
        return vectors.toArray(float[][]::new);
    }

    @Override
    public DetectionEvaluation evaluate(String task, Optional<Adapter> adapter) {
        try (NDManager manager = KitEngine.newManager()) {
            return score(task, loadDetector(manager, adapter), 1, manager).get(0);
        }
    }

    /** The adapters scored in one batched pass per test batch; the backbone runs once for all of them. */
    @Override
    public List<Evaluation> evaluateTogether(String task, List<Adapter> adapters) {
        try (NDManager manager = KitEngine.newManager()) {
            PromptDetector detector = loadBase(baseModel(), manager);
            Adapter.applyStackTo(adapters, detector, manager);
            return List.copyOf(score(task, detector, adapters.size(), manager));
        }
    }

    /** The test split of {@code task} scored by {@code detector}, which carries {@code groups} adapters. */
    private List<DetectionEvaluation> score(String task, PromptDetector detector, int groups, NDManager manager) {
        Garment category = category(task);
        List<DetectionSample> samples = new ArrayList<>();
        for (int i = 0; i < config.testScenes(); i++) {
            samples.add(scenes.taskSample(category, SceneSplit.TEST, i));
        }
        List<List<DetectionEvaluation.Image>> images = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            images.add(new ArrayList<>());
        }
        GridCodec codec = new GridCodec(config.detector());
        int perImage = config.detector().cells() * GridCodec.OUTPUTS;
        forEachBatch(detector, groups, samples, manager, (batch, head, hidden) -> {
            float[] values = head.toFloatArray();
            for (int g = 0; g < groups; g++) {
                List<DetectionEvaluation.Image> scored = images.get(g);
                for (int i = 0; i < batch.size(); i++) {
                    scored.add(new DetectionEvaluation.Image(scored.size(), codec.decode(values,
                            (g * batch.size() + i) * perImage, config.minScore(), NMS_IOU,
                            CocoAveragePrecision.MAX_DETECTIONS), batch.get(i).groundTruth()));
                }
            }
        });
        return images.stream().map(scored -> new DetectionEvaluation(category, scored)).toList();
    }

    @Override
    public Evaluation readEvaluation(JsonElement json) {
        return DetectionEvaluation.fromJson(json);
    }

    /**
     * Test scene {@code image.scene()} of {@code evaluation}'s category with its ground truth and the detections
     * scoring at least 0.3 drawn on it, enlarged four times, with a caption (Figures 4 and 5).
     */
    public BufferedImage draw(DetectionEvaluation evaluation, DetectionEvaluation.Image image, String caption) {
        DetectionSample sample = scenes.taskSample(evaluation.category(), SceneSplit.TEST, image.scene());
        return DetectionDrawing.draw(sample.scene(), image.groundTruth(), image.detections(), 0.3, caption, 4);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private interface BatchConsumer {
        void accept(List<DetectionSample> batch, NDArray head, NDArray hidden);
    }

    /**
     * Runs {@code detector} over {@code samples} in batches. With {@code groups} adapters attached as a stack, each
     * batch's cell tokens are computed once and repeated for every adapter; the outputs then hold the groups one after
     * another ({@code groups * batch} rows).
     */
    private void forEachBatch(PromptDetector detector, int groups, List<DetectionSample> samples, NDManager manager,
            BatchConsumer consumer) {
        for (int start = 0; start < samples.size(); start += EVAL_BATCH) {
            List<DetectionSample> batch = samples.subList(start, Math.min(samples.size(), start + EVAL_BATCH));
            try (NDManager scope = manager.newSubManager()) {
                DetectionBatch data = DetectionBatch.of(batch, config.detector(), embeddings, scope);
                ParameterStore store = new ParameterStore(scope, false);
                NDArray cells = detector.cellTokens(store, data.images(), false);
                NDArray prompts = data.prompts();
                if (groups > 1) {
                    cells = cells.tile(new long[] {groups, 1, 1});
                    prompts = prompts.tile(new long[] {groups, 1});
                }
                NDList out = detector.detect(store, cells, prompts, false);
                consumer.accept(batch, out.get(0), out.get(1));
            }
        }
    }

    /** The base detector, with {@code adapter} attached when given. */
    private PromptDetector loadDetector(NDManager manager, Optional<Adapter> adapter) {
        PromptDetector detector = loadBase(baseModel(), manager);
        adapter.ifPresent(a -> a.applyTo(detector, manager));
        return detector;
    }

    private PromptDetector loadBase(Path baseDir, NDManager manager) {
        PromptDetector detector = new PromptDetector(config.detector());
        KitEngine.seeded(0, () -> detector.initialize(manager)); // the loaded weights replace what it draws
        Path file = baseDir.resolve(BASE_FILE);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            detector.loadParameters(manager, new DataInputStream(in));
        } catch (IOException | MalformedModelException e) {
            throw new IllegalStateException("cannot load the base detector " + file + " (" + e.getMessage()
                    + "); remove it with 'icmlora.sh clean detection-base' to retrain it", e);
        }
        return detector;
    }
}
