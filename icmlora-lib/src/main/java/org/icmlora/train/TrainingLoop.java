package org.icmlora.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.Seeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kit's one training loop, used by every trainer: base models, LoRA series, the CVAE and both phases of
 * COND P-DIFF. A model supplies what one epoch does ({@link Epoch}); the loop supplies the rest:
 *
 * <ul>
 *   <li><b>seeding:</b> before epoch e, DJL's generator is reseeded and the epoch gets its own {@link Random} (for
 *       batch order and noise), both derived from the loop's seed, its name and e alone ({@link Seeds}); so an epoch
 *       is a pure function of the weights and optimiser state before it;</li>
 *   <li><b>progress:</b> epoch, loss parts, time left (from this run's epochs only);</li>
 *   <li><b>divergence:</b> a non-finite loss stops the run with the epoch, the loss part and the first parameter
 *       that holds a non-finite value;</li>
 *   <li><b>listeners</b> ({@link EpochListener}), for example {@link KeepLastEpochs}, which records the adapters of
 *       the last K epochs;</li>
 *   <li><b>checkpoints:</b> with a work directory ({@link TrainingRun}), every N epochs and at the end: every
 *       parameter of the model, the optimiser's moments and the loss history ({@link TrainingCheckpoints},
 *       checksummed). A new run in the same directory continues after the newest checkpoint and ends with exactly
 *       the weights of a run that was never interrupted (at one intra-op thread).</li>
 * </ul>
 *
 * <pre>
 *   TrainingReport report = TrainingLoop.of("cvae", model).adamW(2e-4f, 0f).epochs(2000)
 *           .run(TrainingRun.checkpointed(seed, workDir)).fingerprint(dataAndConfigHash)
 *           .train(optimizer -&gt; (epoch, random) -&gt; trainOneEpoch(optimizer, random));
 * </pre>
 */
public final class TrainingLoop {

    /** One epoch of a model's training. */
    @FunctionalInterface
    public interface Epoch {
        /**
         * Trains epoch {@code epoch} (1-based), drawing batch order and noise from {@code random}, and returns its mean
         * loss parts by name.
         */
        Map<String, Double> train(int epoch, Random random);
    }

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
    private static final Gson GSON = new Gson();
    private static final String MODEL_PREFIX = "model.";
    private static final String OPTIMIZER_PREFIX = "adamw.";
    private static final String HISTORY = "history";
    private static final long ENGINE_STREAM = 1;
    private static final long ORDER_STREAM = 2;

    private final String name;
    private final Block model;
    private final List<EpochListener> listeners = new ArrayList<>();
    private float learningRate = Float.NaN;
    private float weightDecay;
    private AdamW optimizer;
    private int epochs = -1;
    private TrainingRun run;
    private String fingerprint = "";

    private TrainingLoop(String name, Block model) {
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("a training loop's name is lower-case words joined by '-' (it names"
                    + " checkpoint files), got '" + name + "'");
        }
        this.name = name;
        this.model = model;
    }

    /** A loop called {@code name} that trains the parameters of {@code model} that take gradients. */
    public static TrainingLoop of(String name, Block model) {
        return new TrainingLoop(name, model);
    }

    /**
     * Trains with AdamW at {@code rate} (the default an epoch's steps use; a schedule may pass its own) and decoupled
     * weight decay {@code decay}. The loop owns the optimiser: its moments are checkpointed and restored with the model.
     */
    public TrainingLoop adamW(float rate, float decay) {
        this.learningRate = rate;
        this.weightDecay = decay;
        return this;
    }

    /** Trains {@code count} epochs in all (a resumed run trains only those after its checkpoint). */
    public TrainingLoop epochs(int count) {
        if (count < 1) {
            throw new IllegalArgumentException(name + ": epochs must be >= 1, got " + count);
        }
        this.epochs = count;
        return this;
    }

    /** The seed, where and how often to checkpoint, and whether to stop early. */
    public TrainingLoop run(TrainingRun value) {
        this.run = value;
        return this;
    }

    /** What is trained on (configuration and data): a checkpoint written for another fingerprint is never resumed. */
    public TrainingLoop fingerprint(String value) {
        this.fingerprint = value;
        return this;
    }

    /** Adds a listener told after every epoch, before the epoch's checkpoint. */
    public TrainingLoop onEpoch(EpochListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Runs the remaining epochs with the epoch {@code body} makes of the loop's optimiser (the body steps it after each
     * batch).
     */
    public TrainingReport train(Function<AdamW, Epoch> body) {
        if (epochs < 1 || run == null || Float.isNaN(learningRate)) {
            throw new IllegalStateException(name + ": set the optimiser, the epochs and the run before training");
        }
        try (NDManager optimizerState = KitEngine.newManager()) {
            optimizer = new AdamW(learningRate, weightDecay, optimizerState);
            return train(body.apply(optimizer));
        } finally {
            optimizer = null;
        }
    }

    private TrainingReport train(Epoch body) {
        long start = System.nanoTime();
        Optional<TrainingCheckpoints> checkpoints = Optional.ofNullable(run.workDir())
                .map(dir -> new TrainingCheckpoints(dir, name));
        List<Map<String, Double>> history = new ArrayList<>();
        int resumedFrom = checkpoints.map(c -> resume(c, history)).orElse(0);
        Map<String, Parameter> trainable = TrainableParameters.of(model);
        Progress progress = new Progress(name + " epoch", epochs, resumedFrom);
        for (int epoch = resumedFrom + 1; epoch <= epochs; epoch++) {
            KitEngine.seed(Seeds.derive(run.seed(), name, ENGINE_STREAM, epoch));
            Random random = new Random(Seeds.derive(run.seed(), name, ORDER_STREAM, epoch));
            Map<String, Double> losses = body.train(epoch, random);
            requireFinite(epoch, losses, trainable);
            history.add(Map.copyOf(new LinkedHashMap<>(losses)));
            for (EpochListener listener : listeners) {
                try {
                    listener.epochFinished(epoch, losses);
                } catch (IOException e) {
                    throw new UncheckedIOException(name + ": epoch " + epoch + ": " + e.getMessage(), e);
                }
            }
            boolean stop = run.stopAfterEpoch() > 0 && epoch >= run.stopAfterEpoch() && epoch < epochs;
            boolean due = epoch % run.checkpointInterval(epochs) == 0 || epoch == epochs || stop;
            if (checkpoints.isPresent() && due) {
                save(checkpoints.get(), epoch, history);
            }
            progress.update(epoch, format(losses));
            if (stop) {
                return new TrainingReport(name, history, resumedFrom, false, optimizer.steps(), seconds(start));
            }
        }
        return new TrainingReport(name, history, resumedFrom, true, optimizer.steps(), seconds(start));
    }

    private int resume(TrainingCheckpoints checkpoints, List<Map<String, Double>> history) {
        try (NDManager scratch = KitEngine.newManager()) {
            Optional<TrainingCheckpoints.Checkpoint> latest = checkpoints.latest(fingerprint, scratch);
            if (latest.isEmpty()) {
                return 0;
            }
            TrainingCheckpoints.Checkpoint checkpoint = latest.get();
            ParameterTensors.restore(model, MODEL_PREFIX, checkpoint.tensors(), name + " checkpoint of epoch "
                    + checkpoint.epoch());
            Map<String, NDArray> state = new LinkedHashMap<>();
            for (NDArray array : checkpoint.tensors()) {
                if (array.getName().startsWith(OPTIMIZER_PREFIX)) {
                    state.put(array.getName().substring(OPTIMIZER_PREFIX.length()), array);
                }
            }
            optimizer.restore(state, checkpoint.optimizerSteps());
            if (checkpoint.metadata().has(HISTORY)) {
                history.addAll(GSON.fromJson(checkpoint.metadata().get(HISTORY),
                        new TypeToken<List<LinkedHashMap<String, Double>>>() { }.getType()));
            }
            int epoch = Math.min(checkpoint.epoch(), epochs);
            LOG.info("{}: resuming after epoch {} of {} from its checkpoint", name, epoch, epochs);
            return epoch;
        }
    }

    private void save(TrainingCheckpoints checkpoints, int epoch, List<Map<String, Double>> history) {
        try (NDManager scope = KitEngine.newManager()) {
            NDList tensors = ParameterTensors.export(model, MODEL_PREFIX, scope);
            optimizer.state().forEach((stateName, array) -> {
                NDArray copy = array.duplicate();
                copy.attach(scope);
                copy.setName(OPTIMIZER_PREFIX + stateName);
                tensors.add(copy);
            });
            JsonObject extra = new JsonObject();
            extra.add(HISTORY, GSON.toJsonTree(history));
            checkpoints.save(epoch, optimizer.steps(), fingerprint, tensors, extra);
        }
    }

    private void requireFinite(int epoch, Map<String, Double> losses, Map<String, Parameter> trainable) {
        for (var loss : losses.entrySet()) {
            if (!Double.isFinite(loss.getValue())) {
                throw new IllegalStateException(String.format(Locale.ROOT, "%s diverged in epoch %d: %s = %s; %s;"
                        + " lower the learning rate or check the input scale", name, epoch, loss.getKey(),
                        loss.getValue(), firstNonFiniteParameter(trainable)));
            }
        }
    }

    private static String firstNonFiniteParameter(Map<String, Parameter> trainable) {
        for (var entry : trainable.entrySet()) {
            for (float value : entry.getValue().getArray().toFloatArray()) {
                if (!Float.isFinite(value)) {
                    return "parameter " + entry.getKey() + " holds " + value;
                }
            }
        }
        return "every parameter is still finite (the loss overflowed first)";
    }

    private static String format(Map<String, Double> losses) {
        return losses.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.5f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

}
