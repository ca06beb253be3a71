package org.icmlora.experiments.pipeline;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.icmlora.engine.Seeds;
import org.icmlora.engine.Workers;
import org.icmlora.experiments.RunContext;
import org.icmlora.generate.Generators;
import org.icmlora.generate.core.CvaeConfig;
import org.icmlora.generate.core.FitReport;
import org.icmlora.generate.core.GeneratorConfig;
import org.icmlora.generate.core.LoraGenerator;
import org.icmlora.generate.core.PdiffConfig;
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
        return fit(plan(new Request(context, track, config, rank, condition, tasks)));
    }

    private static TrainedGenerator fit(Planned fit) {
        Request request = fit.request();
        RunContext context = request.context();
        Track track = request.track();
        Path dir = context.store().getOrCompute(fit.key(), fit.stage(), out -> {
            TrainingSet data = trainingSet(track, request.rank(), fit.conditions());
            try (LoraGenerator generator = Generators.create(request.config())) {
                FitReport report = generator.fit(data, TrainingRun.checkpointed(Seeds.derive(context.seed(),
                        fit.key().stage()), context.store().workDir(fit.key())));
                generator.save(out.resolve(GENERATOR_DIR));
                AtomicFiles.writeString(out.resolve(FIT_FILE), GSON.toJson(report.stored()));
            }
            AtomicFiles.writeString(out.resolve(CONDITIONS_FILE), fit.conditionsJson());
        });
        long bytes = DiskUsage.bytes(dir.resolve(GENERATOR_DIR)) + DiskUsage.bytes(dir.resolve(CONDITIONS_FILE));
        return new TrainedGenerator(fit.key(), Generators.load(dir.resolve(GENERATOR_DIR)),
                track.adapterConfig(request.rank()), track.layout(request.rank()), read(dir.resolve(CONDITIONS_FILE),
                new TypeToken<LinkedHashMap<String, float[]>>() { }), read(dir.resolve(FIT_FILE),
                new TypeToken<FitReport>() { }), dir, bytes);
    }

    /** A request with its training tasks' conditions read and its cache key made. */
    private record Planned(Request request, Map<String, float[]> conditions, String conditionsJson, Stage stage,
            StageKey key) {}

    private static Planned plan(Request request) {
        Track track = request.track();
        Map<String, float[]> conditions = new LinkedHashMap<>();
        request.tasks().forEach(task -> conditions.put(track.task(task).id(),
                track.taskVectors().of(task, request.condition())));
        String conditionsJson = GSON.toJson(conditions);
        Stage stage = new Stage(track.id(), request.config().getClass().getSimpleName(), request.config(),
                request.rank(), request.condition(), AtomicFiles.sha256(conditionsJson), request.context().seed());
        StageKey[] inputs = request.tasks().stream().map(task -> track.adaptersKey(task, request.rank()))
                .toArray(StageKey[]::new);
        return new Planned(request, conditions, conditionsJson, stage, ArtifactStore.key(track.id() + "-generator",
                stage, inputs));
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
        List<TrainedGenerator> fitted = fitAll(requests(seeds, trackId, rank, condition));
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
     * What {@link #fitAll(List, String, int, ConditionKind)} fits: every generating method on track {@code trackId}
     * under each of the {@code seeds}, seed by seed.
     */
    public static List<Request> requests(List<RunContext> seeds, String trackId, int rank, ConditionKind condition) {
        List<Request> requests = new ArrayList<>();
        for (RunContext seed : seeds) {
            for (Method method : Method.generators()) {
                requests.add(Request.of(seed, Tracks.of(seed, trackId), method, rank, condition));
            }
        }
        return requests;
    }

    /**
     * One generator to fit: {@code config} on the adapters of {@code tasks} of {@code track} (table or extra tasks) at
     * {@code rank}, conditioned as asked, under the seed of {@code context}.
     */
    public record Request(RunContext context, Track track, GeneratorConfig config, int rank, ConditionKind condition,
            List<String> tasks) {

        /** Checks that the generator is fitted on distinct tasks, at least one. */
        public Request {
            if (tasks.isEmpty() || tasks.stream().distinct().count() != tasks.size()) {
                throw new IllegalArgumentException("a generator is fitted on distinct tasks, at least one; got "
                        + tasks);
            }
            tasks = List.copyOf(tasks);
        }

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
        prepareInputs(requests);
        return Workers.map(requests, request -> fit(plan(request)));
    }

    /**
     * Fits every requested generator not cached yet, side by side and the longest first ({@link #expectedWork}), after
     * what they read (each request's own tasks at its own rank, all requests' inputs in one {@link Upstream} call);
     * returns how many it fitted. A command that runs several experiments calls it with all their fits first: fitted
     * experiment by experiment, each experiment's last fit kept one core busy while the other had nothing to do.
     */
    public static int fitAhead(List<Request> requests) {
        prepareInputs(requests);
        Map<StageKey, Planned> pending = new LinkedHashMap<>();
        for (Request request : requests) {
            Planned fit = plan(request);
            if (!request.context().store().isComplete(fit.key())) {
                pending.putIfAbsent(fit.key(), fit);
            }
        }
        List<Planned> longestFirst = pending.values().stream()
                .sorted(Comparator.comparingDouble((Planned fit) -> expectedWork(fit.request())).reversed()).toList();
        Workers.forEach(longestFirst, fit -> fit(fit).close());
        return longestFirst.size();
    }

    /**
     * The base models, adapter series and task vectors that {@code requests} read, each request's own tasks at its
     * own rank and condition, in one {@link Upstream} call.
     */
    private static void prepareInputs(List<Request> requests) {
        Upstream.prepare(requests.stream().map(r -> new Upstream.Need(r.track(), r.tasks(), List.of(r.rank()),
                List.of(r.condition()))).toList());
    }

    /**
     * A fit's rough work, only to start the longest fits first: the values it trains on (pairs times adapter length)
     * times its passes over them (both phases of COND P-DIFF at their epoch caps; one pass for the averages).
     */
    private static double expectedWork(Request request) {
        double values = (double) trainingPairs(request.track(), request.tasks().size())
                * request.track().layout(request.rank()).size();
        if (request.config() instanceof PdiffConfig pdiff) {
            return values * (pdiff.epochCap(pdiff.aeEpochs()) + pdiff.epochCap(pdiff.ddpmEpochs()));
        }
        if (request.config() instanceof CvaeConfig cvae) {
            return values * cvae.epochs();
        }
        return values;
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
