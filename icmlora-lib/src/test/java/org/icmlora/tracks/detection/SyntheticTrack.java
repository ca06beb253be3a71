package org.icmlora.tracks.detection;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.icmlora.data.scenes.Garment;
import org.icmlora.data.scenes.ObjectBank;
import org.icmlora.data.scenes.SceneComposer;

/** Test data for the track without Fashion-MNIST or MiniLM: one simple shape per garment, random prompt vectors. */
final class SyntheticTrack {

    private SyntheticTrack() {}

    /** Garment k is a filled rectangle of its own aspect ratio; two sizes each. */
    static ObjectBank shapes() {
        Map<Garment, List<byte[]>> images = new EnumMap<>(Garment.class);
        for (Garment g : Garment.values()) {
            int k = g.label();
            images.put(g, List.of(rectangle(2 + k, 12 - k, 26 - k, 16 + k), rectangle(4 + k, 10 - k, 24 - k, 18 + k)));
        }
        return new ObjectBank(images);
    }

    /** Random unit vectors of length {@code dim}, fixed by the seed. */
    static PromptEmbeddings randomPrompts(int dim) {
        Random random = new Random(11);
        Map<Garment, float[]> vectors = new EnumMap<>(Garment.class);
        for (Garment g : Garment.values()) {
            float[] v = new float[dim];
            double norm = 0;
            for (int i = 0; i < dim; i++) {
                v[i] = (float) random.nextGaussian();
                norm += v[i] * v[i];
            }
            for (int i = 0; i < dim; i++) {
                v[i] /= (float) Math.sqrt(norm);
            }
            vectors.put(g, v);
        }
        return PromptEmbeddings.of(vectors);
    }

    static DetectionScenes scenes(DetectionConfig config, long baseSeed, long seed) {
        ObjectBank bank = shapes();
        return new DetectionScenes(config, baseSeed, seed, split -> new SceneComposer(bank, config.scenes()));
    }

    private static byte[] rectangle(int left, int top, int right, int bottom) {
        byte[] image = new byte[28 * 28];
        for (int y = top; y < bottom; y++) {
            for (int x = left; x < right; x++) {
                image[y * 28 + x] = (byte) 200;
            }
        }
        return image;
    }
}
