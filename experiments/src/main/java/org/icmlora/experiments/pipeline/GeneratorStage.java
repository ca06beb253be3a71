package org.icmlora.experiments.pipeline;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.icmlora.engine.Seeds;
import org.icmlora.engine.Workers;
import org.icmlora.experiments.RunContext;
import org.icmlora.generate.Generators;
import org.icmlora.generate.core.FitReport;
import org.icmlora.generate.core.GeneratorConfig;
import org.icmlora.generate.core.LoraGenerator;
import org.icmlora.generate.core.TrainingPair;
import org.icmlora.generate.core.TrainingSet;
import org.icmlora.lora.Adapter;
import org.icmlora.lora.LoraLayout;
import org.icmlora.store.ArtifactStore;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.DiskUsage;
import org.icmlora.store.StageKey;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.Task;
import org.icmlora.tracks.Track;
import org.icmlora.train.TrainingRun;

/**
 * Fits a generator on the adapter series of every task of a track (multi-task, as the paper trains one generator for
 * all tasks), or of a chosen subset of its tasks (the held-out experiment), and caches it as the stage
 * {@code <track>-generator}: the generator's files, the conditions it was fitted with and its fit report (loss parts
 * per epoch). The key covers the generator's configuration, the rank, the kind of condition and the conditions
 * themselves keyed by task (so the set of training tasks), the run seed, and the keys of the training tasks' adapter
 * series: changing any of them refits, nothing else does. Fitting checkpoints into the stage's work directory and
 * resumes after a crash.
 */
public final class GeneratorStage {

    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();
    private static final String GENERATOR_DIR = "generator";
    /** The file, in a fitted generator's stage directory, of the conditions it was fitted with. */
    static final String CONDITIONS_FILE = "conditions.json";
    private static final String FIT_FILE = "fit.json";

    private GeneratorStage() {}

    private record Stage(String track, String generator, GeneratorConfig config, int rank, ConditionKind condition,
            String conditionsSha256, long seed) {}

    /**
     * The generator of {@code config} fitted on the adapters of {@code track}'s table tasks at {@code rank},
     * conditioned as asked.
     */
    public static TrainedGenerator fit(RunContext context, Track track, GeneratorConfig config, int rank,
            ConditionKind condition) {
        return fit(context, track, config, rank, condition, track.tasks().stream().map(Task::id).toList());
    }

    /**
     * The generator of {@code config} fitted on the adapters of the tasks {@code tasks} of {@code track} (table or
     * extra tasks) at {@code rank}, conditioned as asked: it never sees another task's adapters or condition.
     */
    public static TrainedGenerator fit(RunContext context, Track track, GeneratorConfig config, int rank,
            ConditionKind condition, List<String> tasks) {
        if (tasks.isEmpty() || tasks.stream().distinct().count() != tasks.size()) {
            throw new IllegalArgumentException("a generator is fitted on distinct tasks, at least one; got " + tasks);
        }
        Map<String, float[]> conditions = new LinkedHashMap<>();
        tasks.forEach(task -> conditions.put(track.task(task).id(), track.taskVectors().of(task, condition)));
        String conditionsJson = GSON.toJson(conditions);
        Stage stage = new Stage(track.id(), config.getClass().getSimpleName(), config, rank, condition,
                AtomicFiles.sha256(conditionsJson), context.seed());
        StageKey[] inputs = tasks.stream().map(task -> track.adaptersKey(task, rank)).toArray(StageKey[]::new);
        StageKey key = ArtifactStore.key(track.id() + "-generator", stage, inputs);
        Path dir = context.store().getOrCompute(key, stage, out -> {
            TrainingSet data = trainingSet(track, rank, conditions);
            try (LoraGenerator generator = Generators.create(config)) {
                FitReport report = generator.fit(data, TrainingRun.checkpointed(Seeds.derive(context.seed(),
                        key.stage()), context.store().workDir(key)));
                generator.save(out.resolve(GENERATOR_DIR));
                AtomicFiles.writeString(out.resolve(FIT_FILE), GSON.toJson(report.stored()));
            }
            AtomicFiles.writeString(out.resolve(CONDITIONS_FILE), conditionsJson);
        });
        long bytes = DiskUsage.bytes(dir.resolve(GENERATOR_DIR)) + DiskUsage.bytes(dir.resolve(CONDITIONS_FILE));
        return new TrainedGenerator(key, Generators.load(dir.resolve(GENERATOR_DIR)), track.adapterConfig(rank),
                track.layout(rank), read(dir.resolve(CONDITIONS_FILE), new TypeToken<LinkedHashMap<String, float[]>>() {
                }), read(dir.resolve(FIT_FILE), new TypeToken<FitReport>() { }), dir, bytes);
    }

    /** The generator of {@code method} with the run's configuration, fitted on every task at {@code rank}. */
    public static TrainedGenerator fit(RunContext context, Track track, Method method, int rank,
            ConditionKind condition) {
        return fit(context, track, method.generator(context.config(), trainingPairs(track)), rank, condition);
    }

    /** How many (condition, adapter) pairs a generator of {@code track} trains on, known before any training. */
    private static int trainingPairs(Track track) {
        return trainingPairs(track, track.tasks().size());
    }

    /** How many (condition, adapter) pairs a generator fitted on {@code tasks} tasks of {@code track} trains on. */
    public static int trainingPairs(Track track, int tasks) {
        return tasks * track.keptEpochs();
    }

    /**
     * Every generating method ({@link Method#generators()}) fitted on the table tasks with the run's configuration;
     * close them.
     */
    public static Map<Method, TrainedGenerator> fitAll(RunContext context, Track track, int rank,
            ConditionKind condition) {
        return fitAll(List.of(context), track.id(), rank, condition).get(0);
    }

    /**
     * The generating methods fitted on track {@code trackId} under each of the {@code seeds}, side by side (see
     * {@link #fitAll(List)}): one map per seed, in the seeds' order; close them.
     */
    public static List<Map<Method, TrainedGenerator>> fitAll(List<RunContext> seeds, String trackId, int rank,
            ConditionKind condition) {
        List<Request> requests = new ArrayList<>();
        for (RunContext seed : seeds) {
            for (Method method : Method.generators()) {
                requests.add(Request.of(seed, Tracks.of(seed, trackId), method, rank, condition));
            }
        }
        List<TrainedGenerator> fitted = fitAll(requests);
        List<Map<Method, TrainedGenerator>> bySeed = new ArrayList<>();
        for (int s = 0; s < seeds.size(); s++) {
            Map<Method, TrainedGenerator> methods = new EnumMap<>(Method.class);
            for (int m = 0; m < Method.generators().size(); m++) {
                methods.put(Method.generators().get(m), fitted.get(s * Method.generators().size() + m));
            }
            bySeed.add(methods);
        }
        return bySeed;
    }

    /**
     * One generator to fit: {@code config} on the adapters of {@code tasks} of {@code track} (table or extra tasks) at
     * {@code rank}, conditioned as asked, under the seed of {@code context}.
     */
    public record Request(RunContext context, Track track, GeneratorConfig config, int rank, ConditionKind condition,
            List<String> tasks) {

        /** {@code config} fitted on every table task of {@code track}. */
        public Request(RunContext context, Track track, GeneratorConfig config, int rank, ConditionKind condition) {
            this(context, track, config, rank, condition, track.tasks().stream().map(Task::id).toList());
        }

        /** {@code method}'s generator with the run's configuration, fitted on every task of {@code track}. */
        public static Request of(RunContext context, Track track, Method method, int rank, ConditionKind condition) {
            return new Request(context, track, method.generator(context.config(), trainingPairs(track)), rank,
                    condition);
        }
    }

    /**
     * Every requested generator, in the requests' order (close them). What they read is computed first, phase by
     * phase, and within a phase the independent outputs side by side on the {@link Workers}: the base models, the
     * adapter series of every task a request trains on at the ranks asked for, their task vectors of the conditions
     * asked for; then the fits themselves. No two units of a phase need the same output that is not cached yet, so no
     * worker waits for another.
     */
    public static List<TrainedGenerator> fitAll(List<Request> requests) {
        Map<Track, Set<String>> tasks = new LinkedHashMap<>();
        requests.forEach(r -> tasks.computeIfAbsent(r.track(), t -> new LinkedHashSet<>()).addAll(r.tasks()));
        Upstream.prepare(tasks, requests.stream().map(Request::rank).toList(),
                requests.stream().map(Request::condition).toList());
        return Workers.map(requests, r -> fit(r.context(), r.track(), r.config(), r.rank(), r.condition(), r.tasks()));
    }

    /** Every kept adapter of the tasks that {@code conditions} names, paired with its task's condition. */
    private static TrainingSet trainingSet(Track track, int rank, Map<String, float[]> conditions) {
        List<TrainingPair> pairs = new ArrayList<>();
        LoraLayout layout = track.layout(rank);
        conditions.forEach((task, condition) -> {
            for (Adapter adapter : track.adapters(task, rank).adapters()) {
                pairs.add(new TrainingPair(task, condition, adapter.values()));
            }
        });
        return new TrainingSet(layout, pairs);
    }

    private static <T> T read(Path file, TypeToken<T> type) {
        try {
            return GSON.fromJson(Files.readString(file), type.getType());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
