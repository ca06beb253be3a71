package org.icmlora.experiments.interop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.gson.Gson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.icmlora.engine.KitEngine;
import org.icmlora.experiments.RunContext;
import org.icmlora.experiments.pipeline.GeneratorStage;
import org.icmlora.experiments.pipeline.TrainedGenerator;
import org.icmlora.experiments.pipeline.Tracks;
import org.icmlora.lora.Adapter;
import org.icmlora.lora.AdapterFiles;
import org.icmlora.lora.LoraAdapters;
import org.icmlora.lora.PeftNameMap;
import org.icmlora.models.gpt.Gpt;
import org.icmlora.store.AtomicFiles;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.language.LanguageTrack;

/**
 * Writes what {@code environment/check-interop.sh} loads in transformers and PEFT, with the kit's own answers:
 *
 * <pre>
 *   DIR/gpt2/                    the language track's base GPT as a GPT-2 checkpoint ({@link Gpt2Checkpoint})
 *   DIR/adapter/                 an ICM-LoRA-generated adapter moved onto GPT-2's modules ({@link Gpt2Modules}),
 *                                saved by AdapterFiles.write as a PEFT directory
 *   DIR/adapter-kit-names/       the same adapter saved as it is with PeftNameMap.gpt2(): the kit's q, k, v layers
 *                                become attn.q_proj, k_proj, v_proj, modules GPT-2 does not have
 *   DIR/expected.json            sample token ids and the kit's next-token log-probabilities [T][V] for the base
 *                                model and for the base with the adapter merged
 * </pre>
 * Profile and seed come from {@code ICMLORA_PROFILE} (check-interop.sh: smoke unless set) and {@code ICMLORA_SEED};
 * every stage comes from the kit's cache or is trained as the experiments would.
 */
public final class InteropExport {

    private static final String BASE_MODEL = "icmlora-gpt (the gpt2/ directory)";
    private static final String SAMPLE = "The quick brown fox jumps over the lazy dog. It was the best of times.";

    private InteropExport() {}

    /** One argument: the output directory. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: InteropExport OUTPUT_DIR");
        }
        Path out = Path.of(args[0]);
        KitEngine.init();
        RunContext context = RunContext.fromEnvironment();
        LanguageTrack track = Tracks.language(context);
        String task = track.tasks().get(0).id();
        int rank = context.config().lora().rank();
        Adapter generated;
        try (TrainedGenerator cvae = GeneratorStage.fit(context, track, context.config().cvae(), rank,
                ConditionKind.FINE_TUNED_STATES)) {
            generated = cvae.generate(task, context.seed());
        }
        int[] tokens = sampleTokens(track, SAMPLE);

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("profile", context.profile().id());
        expected.put("task", task);
        expected.put("rank", rank);
        expected.put("tokens", tokens);
        try (NDManager manager = KitEngine.newManager()) {
            Gpt base = track.loadBaseModel(manager);
            Gpt2Checkpoint.write(base, Files.createDirectories(out.resolve("gpt2")));
            expected.put("base", logProbabilities(base, tokens, manager));
        }
        expected.put("adapted", mergedLogProbabilities(track, generated, tokens));
        AdapterFiles.write(Files.createDirectories(out.resolve("adapter")), Gpt2Modules.adapter(generated),
                Adapter.Origin.NONE, PeftNameMap.IDENTITY, BASE_MODEL);
        AdapterFiles.write(Files.createDirectories(out.resolve("adapter-kit-names")), generated, Adapter.Origin.NONE,
                PeftNameMap.gpt2(), BASE_MODEL);
        AtomicFiles.writeString(out.resolve("expected.json"), new Gson().toJson(expected));
        System.out.println("interop files written to " + out + " (profile " + context.profile().id() + ", task "
                + task + ", " + tokens.length + " tokens, " + generated.layout().layers().size() + " adapted layers)");
    }

    /** The kit's log-probabilities with the adapter merged into a fresh copy of the base model. */
    private static float[][] mergedLogProbabilities(LanguageTrack track, Adapter adapter, int[] tokens) {
        try (NDManager manager = KitEngine.newManager()) {
            Gpt model = track.loadBaseModel(manager);
            adapter.applyTo(model, manager);
            LoraAdapters.merge(model);
            return logProbabilities(model, tokens, manager);
        }
    }

    private static int[] sampleTokens(LanguageTrack track, String text) {
        int[] ids = track.tokenizer().encode(text);
        return Arrays.copyOf(ids, Math.min(ids.length, track.config().model().contextLength()));
    }

    /** log p(next token = v | tokens[0..t]) for every position t and vocabulary entry v: [T][V]. */
    private static float[][] logProbabilities(Gpt model, int[] tokens, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            NDArray ids = step.create(Arrays.stream(tokens).asLongStream().toArray(), new Shape(1, tokens.length));
            NDArray logits = model.forward(new ParameterStore(step, false), new NDList(ids), false).head();
            NDArray logProbs = logits.logSoftmax(-1).squeeze(0);
            int vocabulary = (int) logProbs.getShape().get(1);
            float[] flat = logProbs.toFloatArray();
            float[][] rows = new float[tokens.length][];
            for (int t = 0; t < tokens.length; t++) {
                rows[t] = Arrays.copyOfRange(flat, t * vocabulary, (t + 1) * vocabulary);
            }
            return rows;
        }
    }
}
