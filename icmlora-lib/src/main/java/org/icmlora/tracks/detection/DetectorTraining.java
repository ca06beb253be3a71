package org.icmlora.tracks.detection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.Shuffle;
import org.icmlora.models.detector.DetectionLoss;
import org.icmlora.models.detector.PromptDetector;
import org.icmlora.train.AdamW;
import org.icmlora.train.TrainableParameters;
import org.icmlora.train.TrainingLoop;

/**
 * One epoch of detector training, shared by base pretraining and LoRA fine-tuning (the {@link TrainingLoop} runs the
 * epochs): the examples in an order shuffled by the epoch's generator, batches through the detector, the detection
 * loss, AdamW on the parameters that take gradients with the warm-up + cosine learning rate of
 * {@link TrainingSettings}.
 */
final class DetectorTraining implements TrainingLoop.Epoch {

    private static final float BOX_WEIGHT = 5f;

    private final PromptDetector model;
    private final Map<String, Parameter> trainable;
    private final IntFunction<DetectionSample> examples;
    private final TrainingSettings settings;
    private final PromptEmbeddings embeddings;
    private final NDManager manager;
    private final AdamW optimizer;

    DetectorTraining(PromptDetector model, IntFunction<DetectionSample> examples, TrainingSettings settings,
            PromptEmbeddings embeddings, NDManager manager, AdamW optimizer) {
        this.model = model;
        this.trainable = TrainableParameters.of(model);
        this.examples = examples;
        this.settings = settings;
        this.embeddings = embeddings;
        this.manager = manager;
        this.optimizer = optimizer;
    }

    @Override
    public Map<String, Double> train(int epoch, Random random) {
        int[] order = Shuffle.permutation(settings.examples(), random);
        double lossSum = 0;
        int steps = settings.stepsPerEpoch();
        for (int step = 0; step < steps; step++) {
            List<DetectionSample> batch = new ArrayList<>();
            for (int i = step * settings.batchSize(); i < Math.min(order.length, (step + 1) * settings.batchSize()); i++) {
                batch.add(examples.apply(order[i]));
            }
            try (NDManager scope = manager.newSubManager()) {
                DetectionBatch data = DetectionBatch.of(batch, model.config(), embeddings, scope);
                try (GradientCollector collector = KitEngine.newGradientCollector()) {
                    NDArray head = model.forward(new ParameterStore(scope, false),
                            new NDList(data.images(), data.prompts()), true).head();
                    NDArray loss = DetectionLoss.compute(head, data.objectness(), data.boxTargets(), data.objects(),
                            BOX_WEIGHT);
                    collector.backward(loss);
                    lossSum += loss.getFloat();
                }
                optimizer.step(trainable, settings.learningRate((epoch - 1) * steps + step));
            }
        }
        return Map.of("loss", lossSum / steps);
    }
}
