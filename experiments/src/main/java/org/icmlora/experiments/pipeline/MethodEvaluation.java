package org.icmlora.experiments.pipeline;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.icmlora.experiments.RunContext;
import org.icmlora.lora.CheckpointSeries;
import org.icmlora.store.ArtifactStore;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.StageKey;

/**
 * Scores one method on one task: the adapter the method produces for the task, merged into the base model and
 * evaluated on the task's test split. Scores are cached as the stage {@code <track>-evaluation}, keyed by the task,
 * method, rank and seed and by the stage the adapter came from, so a rerun with everything cached takes seconds.
 */
public final class MethodEvaluation {

    private static final Gson GSON = new Gson();

    private MethodEvaluation() {}

    private record Stage(String task, String method, int rank, long seed) {}

    /**
     * The adapter {@code method} gives {@code task}: the last fine-tuning epoch's (Original LoRA), none (Original
     * Model, null), or one drawn from {@code generator} with the run's seed.
     */
    public static float[] adapter(RunContext context, TaskSuite suite, Method method, String task, int rank,
            TrainedGenerator generator) {
        return switch (method) {
            case ORIGINAL_MODEL -> null;
            case ORIGINAL_LORA -> {
                CheckpointSeries series = suite.adapters(task, rank);
                yield series.load(series.latestEpoch().orElseThrow()).vector();
            }
            default -> requireGenerator(method, generator).generate(task, context.seed());
        };
    }

    /** The metrics of {@code method} on {@code task} (see {@link TaskSuite#metrics()}), computed once and cached. */
    public static Map<String, Double> metrics(RunContext context, TaskSuite suite, Method method, String task, int rank,
            TrainedGenerator generator) {
        StageKey source = method.isGenerator() ? requireGenerator(method, generator).key()
                : suite.adaptersKey(task, rank);
        Stage stage = new Stage(task, method.name(), rank, context.seed());
        StageKey key = ArtifactStore.key(suite.track() + "-evaluation", stage, source);
        var dir = context.store().getOrCompute(key, stage, out -> {
            float[] vector = adapter(context, suite, method, task, rank, generator);
            Map<String, Double> metrics = suite.evaluate(task, vector == null ? null : suite.layout(rank), vector);
            AtomicFiles.writeString(out.resolve("metrics.json"), GSON.toJson(metrics));
        });
        try {
            return GSON.fromJson(Files.readString(dir.resolve("metrics.json")),
                    new TypeToken<LinkedHashMap<String, Double>>() { }.getType());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cached metrics in " + dir, e);
        }
    }

    /** The generating methods in the paper's row order. */
    public static List<Method> generators() {
        return List.of(Method.MODEL_SOUP, Method.COND_P_DIFF, Method.ICM_LORA);
    }

    private static TrainedGenerator requireGenerator(Method method, TrainedGenerator generator) {
        if (generator == null || generator.method() != method) {
            throw new IllegalArgumentException(method.paperName() + " needs its own fitted generator, got "
                    + (generator == null ? "none" : generator.method().paperName()));
        }
        return generator;
    }
}
