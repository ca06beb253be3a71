package org.icmlora.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.icmlora.models.gpt.Gpt;
import org.icmlora.models.gpt.Tokenizer;

/**
 * Scores a text with a {@link Gpt}: PPL and BPC as {@code metrics.md} defines them.
 *
 * <p>The text is tokenised as one stream. Its first token is context only; every later token is predicted exactly
 * once, by a sliding window: windows of up to {@code context} inputs advance by {@code stride} tokens, and each window
 * scores only the tokens the previous one did not, so every scored token (after the first window) sees at least
 * {@code context - stride} tokens of left context. {@code stride == context} gives disjoint windows (fastest);
 * smaller strides give more context per token. Windows of equal length are scored in batches.
 */
public final class LanguageModelEvaluator {

    private static final int BATCH = 32;

    private LanguageModelEvaluator() {}

    /** Scores {@code text}; the model is run in inference mode and left unchanged. */
    public static LanguageModelScore score(Gpt model, Tokenizer tokenizer, String text, int stride, NDManager manager) {
        int context = model.config().contextLength();
        if (stride < 1 || stride > context) {
            throw new IllegalArgumentException("evaluation stride must be in [1, " + context + "], got " + stride);
        }
        int[] tokens = tokenizer.encode(text);
        if (tokens.length < 2) {
            throw new IllegalArgumentException("text to score needs at least two tokens, got " + tokens.length);
        }
        List<int[]> windows = new ArrayList<>(); // {begin, end, firstScored}: inputs [begin, end-1), targets to end
        for (int scored = 1; scored < tokens.length; ) {
            int end = Math.min(tokens.length, scored + stride);
            int begin = Math.max(0, end - 1 - context);
            windows.add(new int[] {begin, end, scored});
            scored = end;
        }
        double nll = 0;
        for (int i = 0; i < windows.size(); ) {
            int length = windows.get(i)[1] - 1 - windows.get(i)[0];
            int j = i;
            while (j < windows.size() && j - i < BATCH && windows.get(j)[1] - 1 - windows.get(j)[0] == length) {
                j++;
            }
            nll += scoreBatch(model, tokens, windows.subList(i, j), length, manager);
            i = j;
        }
        long characters = text.codePointCount(0, text.length());
        return new LanguageModelScore(nll, tokens.length - 1L, characters, tokenizer.id());
    }

    private static double scoreBatch(Gpt model, int[] tokens, List<int[]> windows, int length, NDManager manager) {
        int b = windows.size();
        long[] inputs = new long[b * length];
        long[] targets = new long[b * length];
        for (int w = 0; w < b; w++) {
            int begin = windows.get(w)[0];
            for (int t = 0; t < length; t++) {
                inputs[w * length + t] = tokens[begin + t];
                targets[w * length + t] = tokens[begin + t + 1];
            }
        }
        try (NDManager step = manager.newSubManager()) {
            NDArray logits = model.forward(new ParameterStore(step, false),
                    new NDList(step.create(inputs, new Shape(b, length))), false).head();
            NDArray picked = Gpt.targetLogProbabilities(logits, step.create(targets, new Shape(b, length)));
            float[] logProbabilities = picked.toFloatArray();
            double nll = 0;
            for (int w = 0; w < b; w++) {
                int begin = windows.get(w)[0];
                int firstScored = windows.get(w)[2];
                for (int t = firstScored - begin - 1; t < length; t++) {
                    nll -= logProbabilities[w * length + t];
                }
            }
            return nll;
        }
    }
}
