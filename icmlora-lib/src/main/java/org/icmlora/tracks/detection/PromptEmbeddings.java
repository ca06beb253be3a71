package org.icmlora.tracks.detection;

import java.util.EnumMap;
import java.util.Map;
import org.icmlora.data.scenes.Garment;
import org.icmlora.models.text.MiniLmEncoder;

/**
 * The MiniLM embedding of every garment's prompt ("Detect the sneaker in the picture."), computed once: they are the
 * detector's prompt input and the text task vectors.
 */
public final class PromptEmbeddings {

    private final Map<Garment, float[]> embeddings = new EnumMap<>(Garment.class);

    private PromptEmbeddings() {}

    /** Embeds all ten prompts with the pretrained MiniLM encoder. */
    public static PromptEmbeddings compute() {
        PromptEmbeddings result = new PromptEmbeddings();
        try (MiniLmEncoder encoder = new MiniLmEncoder()) {
            for (Garment garment : Garment.values()) {
                result.embeddings.put(garment, encoder.embed(garment.prompt()));
            }
        }
        return result;
    }

    /** Embeddings given directly (tests use small synthetic ones); every garment needs one of equal length. */
    public static PromptEmbeddings of(Map<Garment, float[]> given) {
        PromptEmbeddings result = new PromptEmbeddings();
        int length = -1;
        for (Garment garment : Garment.values()) {
            float[] e = given.get(garment);
            if (e == null || (length >= 0 && e.length != length)) {
                throw new IllegalArgumentException("every garment needs a prompt embedding of one length; " + garment
                        + (e == null ? " has none" : " has " + e.length + " values instead of " + length));
            }
            length = e.length;
            result.embeddings.put(garment, e.clone());
        }
        return result;
    }

    /** The embedding of {@code garment}'s prompt (a copy). */
    public float[] of(Garment garment) {
        return embeddings.get(garment).clone();
    }

    /** Length of an embedding. */
    public int dimension() {
        return embeddings.get(Garment.T_SHIRT).length;
    }
}
