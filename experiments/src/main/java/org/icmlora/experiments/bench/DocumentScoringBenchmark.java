package org.icmlora.experiments.bench;

import ai.djl.ndarray.NDManager;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.icmlora.config.ConfigBinder;
import org.icmlora.config.Settings;
import org.icmlora.data.text.PreparedCorpus;
import org.icmlora.data.text.Split;
import org.icmlora.data.text.TextCorpora;
import org.icmlora.data.text.TextDataLocation;
import org.icmlora.data.text.TextDocument;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.KitPaths;
import org.icmlora.engine.Profile;
import org.icmlora.eval.DocumentScore;
import org.icmlora.eval.LanguageModelEvaluator;
import org.icmlora.eval.LanguageModelScore;
import org.icmlora.models.gpt.ByteTokenizer;
import org.icmlora.models.gpt.Gpt;
import org.icmlora.models.gpt.GptConfig;
import org.icmlora.tracks.language.LanguageTrackConfig;

/**
 * Prints how long scoring every domain's whole test split takes with
 * {@link LanguageModelEvaluator#scoreDocuments}, per document, beside the same split's documents joined into one text
 * and scored by {@link LanguageModelEvaluator#score} (the peer: the same tokens without per-document boundaries), at
 * the GPT and evaluation stride of a profile file ({@code experiments/profiles/<profile>.conf}, keys
 * {@code language.model.*} and {@code language.evalStride}). The model is freshly initialised: the time does not
 * depend on the weights. Each domain is scored once before it is timed.
 * Times are wall seconds and, robust to other processes on a shared machine, the CPU seconds of the scoring thread
 * (with one intra-op thread PyTorch computes on the calling thread).
 *
 * <p>Run: {@code java -cp <classpath> org.icmlora.experiments.bench.DocumentScoringBenchmark [profile] [stride]} or
 * {@code bash environment/bench.sh document-scoring [profile] [stride]} (defaults: quick,
 * the profile's stride) from the kit's checkout; ICMLORA_THREADS sets the thread count.
 */
public final class DocumentScoringBenchmark {

    private DocumentScoringBenchmark() {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) {
        Profile profile = args.length > 0 ? Profile.valueOf(args[0].toUpperCase(Locale.ROOT)) : Profile.QUICK;
        Path profileFile = KitPaths.root().resolve("experiments").resolve("profiles").resolve(profile.id() + ".conf");
        LanguageTrackConfig track = ConfigBinder.bind(Settings.read(profileFile), "language",
                LanguageTrackConfig.class);
        int stride = args.length > 1 ? Integer.parseInt(args[1]) : track.evalStride();
        Path root = TextDataLocation.preparedRoot();
        GptConfig config = track.model();
        KitEngine.init();
        System.out.println("Whole test splits scored per document, " + MachineState.describe() + ", " + profile
                + " GPT (context " + config.contextLength() + ", width " + config.width() + ", " + config.layers()
                + " layers), stride " + stride + ", byte tokenizer");
        System.out.println("domain | documents | characters | predicted tokens | per document: wall s | CPU s "
                + "| CPU ms/document | joined text: CPU s | CPU ratio");
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        ByteTokenizer tokenizer = new ByteTokenizer();
        try (NDManager manager = KitEngine.newManager()) {
            KitEngine.seed(1);
            Gpt model = new Gpt(config);
            model.initialize(manager);
            for (String domain : TextCorpora.DOMAINS) {
                List<TextDocument> documents = PreparedCorpus.load(root.resolve(domain)).documents(Split.TEST);
                String joined = documents.stream().map(TextDocument::text)
                        .collect(Collectors.joining(LanguageModelEvaluator.DOCUMENT_BOUNDARY));
                LanguageModelEvaluator.scoreDocuments(model, tokenizer, documents, stride, manager); // warm-up
                long wall = System.nanoTime();
                long start = cpu.getCurrentThreadCpuTime();
                List<DocumentScore> scores = LanguageModelEvaluator.scoreDocuments(model, tokenizer, documents,
                        stride, manager);
                double perDocument = (cpu.getCurrentThreadCpuTime() - start) / 1e9;
                double perDocumentWall = (System.nanoTime() - wall) / 1e9;
                start = cpu.getCurrentThreadCpuTime();
                LanguageModelEvaluator.score(model, tokenizer, joined, stride, manager);
                double asOneText = (cpu.getCurrentThreadCpuTime() - start) / 1e9;
                LanguageModelScore total = LanguageModelScore.of(scores, tokenizer.id());
                System.out.printf(Locale.ROOT, "%s | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.2f%n", domain,
                        documents.size(), total.characters(), total.tokens(), perDocumentWall, perDocument,
                        1000 * perDocument / documents.size(), asOneText, perDocument / asOneText);
            }
        }
    }
}
