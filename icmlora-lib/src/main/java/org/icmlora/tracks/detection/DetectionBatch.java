package org.icmlora.tracks.detection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.icmlora.models.detector.DetectorConfig;
import org.icmlora.models.detector.GridCodec;

/**
 * A batch of examples as the detector takes them: pictures [B, 1, S, S], prompt embeddings [B, promptDim], and the
 * grid targets [B, cells] / [B, cells, 4] with the number of objects (the loss normaliser). Arrays belong to the given
 * manager; close it after the step.
 */
record DetectionBatch(NDArray images, NDArray prompts, NDArray objectness, NDArray boxTargets, int objects) {

    static DetectionBatch of(List<DetectionSample> samples, DetectorConfig config, PromptEmbeddings embeddings,
            NDManager manager) {
        int b = samples.size();
        int size = config.imageSize();
        int cells = config.cells();
        int promptDim = embeddings.dimension();
        float[] pixels = new float[b * size * size];
        float[] prompts = new float[b * promptDim];
        float[] objectness = new float[b * cells];
        float[] boxes = new float[b * cells * 4];
        GridCodec codec = new GridCodec(config);
        for (int i = 0; i < b; i++) {
            DetectionSample sample = samples.get(i);
            if (sample.scene().size() != size) {
                throw new IllegalArgumentException("scene of " + sample.scene().size() + " px for a detector of " + size
                        + " px: the scene settings and the detector config disagree");
            }
            System.arraycopy(sample.scene().pixels(), 0, pixels, i * size * size, size * size);
            System.arraycopy(embeddings.of(sample.prompt()), 0, prompts, i * promptDim, promptDim);
            codec.encode(sample.groundTruth(), objectness, boxes, i * cells);
        }
        int objects = 0;
        for (float o : objectness) {
            objects += (int) o;
        }
        return new DetectionBatch(manager.create(pixels, new Shape(b, 1, size, size)),
                manager.create(prompts, new Shape(b, promptDim)), manager.create(objectness, new Shape(b, cells)),
                manager.create(boxes, new Shape(b, cells, 4)), objects);
    }
}
