package org.icmlora.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.icmlora.data.text.TextDocument;
import org.icmlora.models.gpt.Gpt;
import org.icmlora.models.gpt.Tokenizer;

/**
 * Scores text with a {@link Gpt}: PPL and BPC as {@code metrics.md} defines them.
 *
 * <p>Two ways in. {@link #score} takes one text: its first token is context only and every later token is predicted.
 * {@link #scoreDocuments} takes a list of documents and scores each on its own, as it would start after another
 * document in training text: after {@link #DOCUMENT_BOUNDARY}, which is context only, so every token of the document
 * is predicted and no document sees another's text. Its per-document totals ({@link DocumentScore}) add up to the
 * split's score ({@link LanguageModelScore#of}) and to any resample's.
 *
 * <p>Every predicted token is predicted exactly once, by a sliding window: windows of up to {@code context} inputs
 * advance by {@code stride} tokens, and each window scores only the tokens the previous one did not, so every scored
 * token (after the first window) sees at least {@code context - stride} tokens of left context. {@code stride ==
 * context} gives disjoint windows (fastest); smaller strides give more context per token. Windows of equal length,
 * from any of the documents, are scored in batches.
 */
public final class LanguageModelEvaluator {

    /**
     * The context every document is scored after: the blank line that separates documents in training text (the
     * language track joins a split's documents with it).
     */
    public static final String DOCUMENT_BOUNDARY = "\n\n";

    private static final int BATCH = 32;

    /** Inputs {@code tokens[begin, end - 1)} predict {@code tokens[begin + 1, end)}; scored from {@code firstScored}. */
    private record Window(int sequence, int begin, int end, int firstScored) {
        int length() {
            return end - 1 - begin;
        }
    }

    private LanguageModelEvaluator() {}

    /** Scores {@code text}; the model is run in inference mode and left unchanged. */
    public static LanguageModelScore score(Gpt model, Tokenizer tokenizer, String text, int stride, NDManager manager) {
        int[] tokens = tokenizer.encode(text);
        if (tokens.length < 2) {
            throw new IllegalArgumentException("text to score needs at least two tokens, got " + tokens.length);
        }
        double nll = negativeLogLikelihoods(model, List.of(tokens), new int[] {1}, stride, manager)[0];
        return new LanguageModelScore(nll, tokens.length - 1L, text.codePointCount(0, text.length()), tokenizer.id());
    }

    /**
     * Scores every document on its own (see the class comment), in the order given; the model is run in inference
     * mode and left unchanged. An empty document is an error naming it.
     */
    public static List<DocumentScore> scoreDocuments(Gpt model, Tokenizer tokenizer, List<TextDocument> documents,
            int stride, NDManager manager) {
        int[] boundary = tokenizer.encode(DOCUMENT_BOUNDARY);
        if (boundary.length == 0) {
            throw new IllegalArgumentException("tokenizer " + tokenizer.id() + " encodes the document boundary "
                    + "(a blank line) to no tokens; documents cannot be scored from their first token");
        }
        List<int[]> sequences = new ArrayList<>();
        int[] firstScored = new int[documents.size()];
        for (int i = 0; i < documents.size(); i++) {
            int[] own = tokenizer.encode(documents.get(i).text());
            if (own.length == 0) {
                throw new IllegalArgumentException("document " + documents.get(i).id() + " has no tokens to score");
            }
            int[] sequence = new int[boundary.length + own.length];
            System.arraycopy(boundary, 0, sequence, 0, boundary.length);
            System.arraycopy(own, 0, sequence, boundary.length, own.length);
            sequences.add(sequence);
            firstScored[i] = boundary.length;
        }
        double[] nll = negativeLogLikelihoods(model, sequences, firstScored, stride, manager);
        List<DocumentScore> scores = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            TextDocument d = documents.get(i);
            scores.add(new DocumentScore(d.id(), nll[i], sequences.get(i).length - boundary.length, d.characters()));
        }
        return scores;
    }

    /** Summed NLL of {@code sequences[i][firstScored[i] ..]} for every i, each sequence on its own. */
    private static double[] negativeLogLikelihoods(Gpt model, List<int[]> sequences, int[] firstScored, int stride,
            NDManager manager) {
        int context = model.config().contextLength();
        if (stride < 1 || stride > context) {
            throw new IllegalArgumentException("evaluation stride must be in [1, " + context + "], got " + stride);
        }
        List<Window> windows = new ArrayList<>();
        for (int s = 0; s < sequences.size(); s++) {
            int length = sequences.get(s).length;
            for (int scored = firstScored[s]; scored < length; ) {
                int end = Math.min(length, scored + stride);
                windows.add(new Window(s, Math.max(0, end - 1 - context), end, scored));
                scored = end;
            }
        }
        windows.sort(Comparator.comparingInt(Window::length)); // stable: equal lengths keep sequence order
        double[] nll = new double[sequences.size()];
        for (int i = 0; i < windows.size(); ) {
            int j = i;
            while (j < windows.size() && j - i < BATCH && windows.get(j).length() == windows.get(i).length()) {
                j++;
            }
            scoreBatch(model, sequences, windows.subList(i, j), nll, manager);
            i = j;
        }
        return nll;
    }

    /** Adds each window's NLL of its scored targets to {@code nll[window.sequence]}. */
    private static void scoreBatch(Gpt model, List<int[]> sequences, List<Window> windows, double[] nll,
            NDManager manager) {
        int b = windows.size();
        int length = windows.get(0).length();
        long[] inputs = new long[b * length];
        long[] targets = new long[b * length];
        for (int w = 0; w < b; w++) {
            int[] tokens = sequences.get(windows.get(w).sequence());
            int begin = windows.get(w).begin();
            for (int t = 0; t < length; t++) {
                inputs[w * length + t] = tokens[begin + t];
                targets[w * length + t] = tokens[begin + t + 1];
            }
        }
        try (NDManager step = manager.newSubManager()) {
            NDArray logits = model.forward(new ParameterStore(step, false),
                    new NDList(step.create(inputs, new Shape(b, length))), false).head();
            float[] logProbabilities = Gpt.targetLogProbabilities(logits, step.create(targets, new Shape(b, length)))
                    .toFloatArray();
            for (int w = 0; w < b; w++) {
                Window window = windows.get(w);
                for (int t = window.firstScored() - window.begin() - 1; t < length; t++) {
                    nll[window.sequence()] -= logProbabilities[w * length + t];
                }
            }
        }
    }
}
