package org.icmlora.tracks.language;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.Gson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.icmlora.engine.KitEngine;
import org.icmlora.models.gpt.Gpt;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.IoConsumer;
import org.icmlora.train.AdamW;
import org.icmlora.train.GradientClipping;
import org.icmlora.train.Progress;

/**
 * Trains a {@link Gpt} on a token stream by next-token cross-entropy, epoch by epoch, resumable.
 *
 * <p>An epoch is {@code stepsPerEpoch} steps of {@code batchSize} windows of {@code contextLength + 1} tokens whose
 * starts are drawn from a generator seeded by (seed, epoch) alone; nothing else is random (no dropout), so an epoch
 * is a pure function of the weights and optimizer state before it. After every epoch the trainable weights and the
 * AdamW moments go to {@code workDir/checkpoint-<epoch>.safetensors} and the epoch and losses to
 * {@code workDir/progress.json} (written last, atomically). A new run in the same workDir starts after the last
 * recorded epoch, so a killed run that is rerun ends with exactly the weights of an uninterrupted one.
 */
public final class LanguageModelTrainer {

    private static final Gson GSON = new Gson();
    private static final String PROGRESS = "progress.json";
    /** Global gradient-norm bound of every step (see {@link GradientClipping}). */
    private static final double MAX_GRADIENT_NORM = 1.0;

    /**
     * How long and how fast to train.
     *
     * @param epochs        N
     * @param stepsPerEpoch optimizer steps per epoch
     * @param batchSize     windows per step
     * @param learningRate  AdamW learning rate
     * @param weightDecay   AdamW decoupled weight decay
     * @param seed          seeds the window draws
     */
    public record Schedule(int epochs, int stepsPerEpoch, int batchSize, float learningRate, float weightDecay,
            long seed) {
        public Schedule {
            if (epochs < 1 || stepsPerEpoch < 1 || batchSize < 1) {
                throw new IllegalArgumentException("epochs, steps per epoch and batch size must be >= 1, got "
                        + epochs + ", " + stepsPerEpoch + ", " + batchSize);
            }
        }
    }

    /** Called after each epoch (before its checkpoint is written) with the epoch (1-based) and its mean loss. */
    @FunctionalInterface
    public interface EpochListener {
        /** Handles the end of {@code epoch}. */
        void epochDone(int epoch, double meanLoss) throws IOException;
    }

    private record ProgressState(int epoch, int optimizerSteps, List<Double> losses) {}

    private LanguageModelTrainer() {}

    /**
     * Trains the parameters in {@code trainable} (by name; all others stay fixed) and returns the mean loss of every
     * epoch, including those done by an earlier, interrupted run in {@code workDir}.
     */
    public static List<Double> train(String what, Gpt model, Map<String, Parameter> trainable, int[] tokens,
            Schedule schedule, Path workDir, EpochListener listener) {
        int context = model.config().contextLength();
        if (tokens.length < context + 2) {
            throw new IllegalArgumentException(what + ": training text has " + tokens.length + " tokens, fewer than "
                    + "one window of " + (context + 1));
        }
        try (NDManager manager = KitEngine.newManager()) {
            AdamW optimizer = new AdamW(schedule.learningRate(), schedule.weightDecay(), manager);
            ProgressState state = resume(what, trainable, optimizer, workDir, manager);
            List<Double> losses = new ArrayList<>(state.losses());
            Progress progress = new Progress(what + " epoch", schedule.epochs());
            for (int epoch = state.epoch() + 1; epoch <= schedule.epochs(); epoch++) {
                Random draws = new Random(schedule.seed() * 1_000_003L + epoch);
                double sum = 0;
                for (int step = 0; step < schedule.stepsPerEpoch(); step++) {
                    sum += step(model, trainable, optimizer, tokens, draws, schedule.batchSize(), manager);
                }
                double loss = sum / schedule.stepsPerEpoch();
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException(what + ": loss became " + loss + " in epoch " + epoch
                            + "; lower the learning rate");
                }
                losses.add(loss);
                listener.epochDone(epoch, loss);
                checkpoint(trainable, optimizer, epoch, losses, workDir);
                progress.update(epoch, String.format(Locale.ROOT, "loss %.4f", loss));
            }
            return losses;
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": " + e.getMessage(), e);
        }
    }

    /** Mean next-token cross-entropy (nats) of one batch; updates the trainable weights. */
    private static double step(Gpt model, Map<String, Parameter> trainable, AdamW optimizer, int[] tokens,
            Random draws, int batchSize, NDManager manager) {
        int context = model.config().contextLength();
        long[] inputs = new long[batchSize * context];
        long[] targets = new long[batchSize * context];
        for (int b = 0; b < batchSize; b++) {
            int start = draws.nextInt(tokens.length - context);
            for (int t = 0; t < context; t++) {
                inputs[b * context + t] = tokens[start + t];
                targets[b * context + t] = tokens[start + t + 1];
            }
        }
        float loss;
        try (NDManager step = manager.newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.forward(new ParameterStore(step, false),
                        new NDList(step.create(inputs, new Shape(batchSize, context))), true).head();
                NDArray mean = Gpt.meanNextTokenLoss(logits, step.create(targets, new Shape(batchSize, context)));
                collector.backward(mean);
                loss = mean.getFloat();
            }
            GradientClipping.clipGlobalNorm(trainable, MAX_GRADIENT_NORM);
            optimizer.step(trainable);
        }
        return loss;
    }

    private static ProgressState resume(String what, Map<String, Parameter> trainable, AdamW optimizer, Path workDir,
            NDManager manager) throws IOException {
        Path progressFile = workDir.resolve(PROGRESS);
        if (!Files.isRegularFile(progressFile)) {
            return new ProgressState(0, 0, List.of());
        }
        ProgressState state = GSON.fromJson(Files.readString(progressFile), ProgressState.class);
        Path checkpoint = workDir.resolve(checkpointName(state.epoch()));
        try (InputStream in = Files.newInputStream(checkpoint)) {
            NDList list = NDList.decode(manager, in);
            Map<String, NDArray> optimizerState = new LinkedHashMap<>();
            for (NDArray array : list) {
                String name = array.getName();
                if (name.startsWith("param/")) {
                    Parameter p = trainable.get(name.substring(6));
                    if (p == null) {
                        throw new IllegalStateException(checkpoint + " holds " + name + ", which is not trained here; "
                                + "delete " + workDir + " to start over");
                    }
                    p.getArray().set(array.toFloatArray());
                } else {
                    optimizerState.put(name, array);
                }
            }
            optimizer.restore(optimizerState, state.optimizerSteps());
            list.close();
        }
        org.slf4j.LoggerFactory.getLogger(LanguageModelTrainer.class)
                .info("{}: resuming after epoch {} from {}", what, state.epoch(), checkpoint);
        return state;
    }

    private static void checkpoint(Map<String, Parameter> trainable, AdamW optimizer, int epoch, List<Double> losses,
            Path workDir) throws IOException {
        NDList list = new NDList();
        trainable.forEach((name, p) -> list.add(named(p.getArray(), "param/" + name)));
        optimizer.state().forEach((name, array) -> list.add(named(array, name)));
        IoConsumer<java.io.OutputStream> writer = out -> list.encode(out, NDList.Encoding.SAFETENSORS);
        AtomicFiles.write(workDir.resolve(checkpointName(epoch)), writer);
        list.close();
        AtomicFiles.writeString(workDir.resolve(PROGRESS),
                GSON.toJson(new ProgressState(epoch, optimizer.steps(), losses)));
        Files.deleteIfExists(workDir.resolve(checkpointName(epoch - 1)));
    }

    private static NDArray named(NDArray array, String name) {
        NDArray copy = array.duplicate();
        copy.setName(name);
        return copy;
    }

    private static String checkpointName(int epoch) {
        return "checkpoint-" + epoch + ".safetensors";
    }
}
