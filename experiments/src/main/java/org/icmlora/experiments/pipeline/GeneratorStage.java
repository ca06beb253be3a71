package org.icmlora.experiments.pipeline;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.icmlora.experiments.RunContext;
import org.icmlora.generate.GeneratorArtifacts;
import org.icmlora.generate.LoraGenerator;
import org.icmlora.generate.TrainingPair;
import org.icmlora.generate.TrainingRun;
import org.icmlora.generate.TrainingSet;
import org.icmlora.lora.LoraLayout;
import org.icmlora.store.ArtifactStore;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.StageKey;
import org.icmlora.store.DiskUsage;

/**
 * Fits a generator on the adapter series of every task of a suite (multi-task, as the paper trains one generator for
 * all tasks) and caches it as the stage {@code <track>-generator}. The key covers the method, its configuration, the
 * rank, the kind of task vector and the task vectors themselves, and the keys of every adapter series: changing any
 * of them refits, nothing else does. Fitting checkpoints into the stage's work directory and resumes after a crash.
 */
public final class GeneratorStage {

    private static final Gson GSON = new Gson();
    private static final String GENERATOR_DIR = "generator";
    private static final String CONDITIONS_FILE = "task-vectors.json";

    private GeneratorStage() {}

    private record Stage(String track, String method, Object generatorConfig, int rank, Condition condition,
            String taskVectorsSha256) {}

    /** The generator of {@code recipe} fitted on {@code suite}'s adapters at {@code rank}, conditioned as asked. */
    public static TrainedGenerator fit(RunContext context, TaskSuite suite, GeneratorRecipe recipe, int rank,
            Condition condition) {
        Map<String, float[]> vectors = new LinkedHashMap<>();
        suite.tasks().forEach(task -> vectors.put(task, suite.taskVector(task, condition)));
        String conditionsJson = GSON.toJson(vectors);
        Stage stage = new Stage(suite.track(), recipe.method().name(), recipe.config(), rank, condition,
                AtomicFiles.sha256(conditionsJson));
        StageKey[] inputs = suite.tasks().stream().map(task -> suite.adaptersKey(task, rank)).toArray(StageKey[]::new);
        StageKey key = ArtifactStore.key(suite.track() + "-generator", stage, inputs);
        LoraLayout layout = suite.layout(rank);
        Path dir = context.store().getOrCompute(key, stage, out -> {
            TrainingSet data = trainingSet(suite, rank, layout, vectors);
            try (LoraGenerator generator = recipe.create()) {
                generator.fit(data, TrainingRun.checkpointed(context.store().workDir(key), recipe.checkpointEvery()));
                generator.save(out.resolve(GENERATOR_DIR));
            }
            AtomicFiles.writeString(out.resolve(CONDITIONS_FILE), conditionsJson);
        });
        Map<String, float[]> stored = readConditions(dir.resolve(CONDITIONS_FILE));
        long bytes = DiskUsage.bytes(dir.resolve(GENERATOR_DIR)) + DiskUsage.bytes(dir.resolve(CONDITIONS_FILE));
        return new TrainedGenerator(recipe.method(), key, GeneratorArtifacts.load(dir.resolve(GENERATOR_DIR)), layout,
                stored, dir, bytes);
    }

    /**
     * The three generating methods (Model Soup, COND P-DIFF, ICM-LoRA) fitted at {@code rank} with the profile's
     * configurations; the caller closes them.
     */
    public static Map<Method, TrainedGenerator> fitAll(RunContext context, TaskSuite suite, int rank,
            Condition condition) {
        Map<Method, TrainedGenerator> fitted = new EnumMap<>(Method.class);
        for (Method method : MethodEvaluation.generators()) {
            fitted.put(method, fit(context, suite, GeneratorRecipe.forMethod(method, context.profile(), context.seed()),
                    rank, condition));
        }
        return fitted;
    }

    private static TrainingSet trainingSet(TaskSuite suite, int rank, LoraLayout layout, Map<String, float[]> vectors) {
        List<TrainingPair> pairs = new ArrayList<>();
        for (String task : suite.tasks()) {
            for (float[] adapter : suite.adapters(task, rank).vectors()) {
                pairs.add(new TrainingPair(task, vectors.get(task), adapter));
            }
        }
        return new TrainingSet(layout, pairs);
    }

    private static Map<String, float[]> readConditions(Path file) {
        try {
            return GSON.fromJson(Files.readString(file), new TypeToken<LinkedHashMap<String, float[]>>() { }.getType());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the task vectors " + file, e);
        }
    }

}
