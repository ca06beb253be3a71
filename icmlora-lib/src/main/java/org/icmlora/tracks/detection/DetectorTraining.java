package org.icmlora.tracks.detection;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.Gson;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.icmlora.data.scenes.SceneComposer;
import org.icmlora.models.detector.DetectionLoss;
import org.icmlora.models.detector.PromptDetector;
import org.icmlora.store.AtomicFiles;
import org.icmlora.train.Progress;
import org.icmlora.train.TrainableParameters;
import org.icmlora.train.AdamW;

/**
 * The training loop shared by base pretraining and LoRA fine-tuning: epochs over shuffled examples, AdamW on the
 * parameters that require gradients, and after every epoch a checkpoint in a work directory (all parameters,
 * optimizer moments, then {@code progress.json} naming the epoch). A run given a work directory with a checkpoint
 * continues after that epoch and ends with the same weights as a run that was never interrupted.
 */
final class DetectorTraining {

    /** Called after every epoch this run trains (1-based), just before its checkpoint is written. */
    interface EpochListener {
        void epochFinished(int epoch, double meanLoss) throws IOException;
    }

    private static final String PROGRESS = "progress.json";
    private static final float BOX_WEIGHT = 5f;
    private static final Gson GSON = new Gson();

    private DetectorTraining() {}

    /**
     * Trains {@code model} on {@code examples} and returns the mean loss of each epoch trained in this call. The
     * shuffling of epoch e depends only on {@code seed} and e.
     */
    static List<Double> run(String what, PromptDetector model, IntFunction<DetectionSample> examples,
            TrainingSettings settings, long seed, PromptEmbeddings embeddings, NDManager manager, Path workDir,
            EpochListener listener) throws IOException {
        Map<String, Parameter> trainable = TrainableParameters.of(model);
        List<Double> losses = new ArrayList<>();
        try (NDManager optimizerMemory = manager.newSubManager()) {
            AdamW optimizer = new AdamW(settings.learningRate(), settings.weightDecay(), optimizerMemory);
            int start = resume(model, trainable, optimizer, manager, workDir);
            Progress progress = new Progress(what + " epoch", settings.epochs());
            for (int epoch = start + 1; epoch <= settings.epochs(); epoch++) {
                double loss = trainEpoch(model, trainable, examples, settings, seed, epoch, embeddings, manager,
                        optimizer);
                losses.add(loss);
                // The listener's output first: a crash between the two retrains this epoch and rewrites it identically.
                listener.epochFinished(epoch, loss);
                saveCheckpoint(model, optimizer, workDir, epoch);
                progress.update(epoch, String.format(java.util.Locale.ROOT, "loss %.4f", loss));
            }
        }
        return losses;
    }

    private static double trainEpoch(PromptDetector model, Map<String, Parameter> trainable,
            IntFunction<DetectionSample> examples, TrainingSettings settings, long seed, int epoch,
            PromptEmbeddings embeddings, NDManager manager, AdamW optimizer) {
        int[] order = shuffled(settings.examples(), SceneComposer.seedFor(seed, epoch));
        double lossSum = 0;
        int steps = settings.stepsPerEpoch();
        for (int step = 0; step < steps; step++) {
            List<DetectionSample> batch = new ArrayList<>();
            for (int i = step * settings.batchSize(); i < Math.min(order.length, (step + 1) * settings.batchSize()); i++) {
                batch.add(examples.apply(order[i]));
            }
            try (NDManager scope = manager.newSubManager()) {
                DetectionBatch data = DetectionBatch.of(batch, model.config(), embeddings, scope);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
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
        double mean = lossSum / steps;
        if (!Double.isFinite(mean)) {
            throw new IllegalStateException("detector training diverged in epoch " + epoch + " (loss " + mean
                    + "); lower the learning rate");
        }
        return mean;
    }

    private static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static void saveCheckpoint(PromptDetector model, AdamW optimizer, Path workDir, int epoch)
            throws IOException {
        AtomicFiles.write(workDir.resolve("model-" + epoch + ".params"),
                out -> model.saveParameters(new DataOutputStream(out)));
        NDList state = new NDList();
        optimizer.state().forEach((name, array) -> {
            NDArray copy = array.duplicate();
            copy.setName(name);
            state.add(copy);
        });
        AtomicFiles.write(workDir.resolve("optimizer-" + epoch + ".safetensors"),
                out -> state.encode(out, NDList.Encoding.SAFETENSORS));
        state.close();
        AtomicFiles.writeString(workDir.resolve(PROGRESS), GSON.toJson(new Checkpoint(epoch, optimizer.steps())));
        Files.deleteIfExists(workDir.resolve("model-" + (epoch - 1) + ".params"));
        Files.deleteIfExists(workDir.resolve("optimizer-" + (epoch - 1) + ".safetensors"));
    }

    /** Loads the newest checkpoint in {@code workDir} and returns its epoch, or 0 when there is none. */
    /** What {@code progress.json} records: the last finished epoch and the optimizer steps taken by then. */
    private record Checkpoint(int epoch, int optimizerSteps) {}

    private static int resume(PromptDetector model, Map<String, Parameter> trainable, AdamW optimizer,
            NDManager manager, Path workDir) {
        Path progress = workDir.resolve(PROGRESS);
        if (!Files.isRegularFile(progress)) {
            return 0;
        }
        try {
            Checkpoint checkpoint = GSON.fromJson(Files.readString(progress), Checkpoint.class);
            int epoch = checkpoint.epoch();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(workDir.resolve("model-" + epoch
                    + ".params")))) {
                model.loadParameters(manager, new DataInputStream(in));
            }
            model.getParameters().forEach(pair -> pair.getValue().getArray()
                    .setRequiresGradient(trainable.containsKey(pair.getKey())));
            try (NDManager scratch = manager.newSubManager();
                    InputStream in = new BufferedInputStream(Files.newInputStream(workDir.resolve("optimizer-" + epoch
                            + ".safetensors")))) {
                Map<String, NDArray> state = new LinkedHashMap<>();
                NDList.decode(scratch, in).forEach(array -> state.put(array.getName(), array));
                optimizer.restore(state, checkpoint.optimizerSteps());
            }
            return epoch;
        } catch (IOException | ai.djl.MalformedModelException e) {
            throw new UncheckedIOException("cannot resume from the checkpoint in " + workDir
                    + "; delete that directory to start over", e instanceof IOException io ? io : new IOException(e));
        }
    }
}
