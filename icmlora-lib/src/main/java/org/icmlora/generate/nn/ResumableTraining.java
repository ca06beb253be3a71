package org.icmlora.generate.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import org.icmlora.engine.KitEngine;
import org.icmlora.generate.FitReport;
import org.icmlora.generate.TrainingRun;
import org.icmlora.train.AdamW;
import org.icmlora.train.Progress;

/**
 * The epoch loop shared by the trained generators: restores the newest checkpoint of the phase, runs the remaining
 * epochs with progress logs (epoch, loss parts, time left), checkpoints model and optimiser state, and stops early on
 * request.
 *
 * <p>Every epoch starts from randomness derived only from the seed and the epoch number (DJL's generator is reseeded
 * and the epoch gets its own {@link Random} for shuffling), so a run resumed from a checkpoint draws exactly the
 * numbers the uninterrupted run would have drawn and ends with the same weights.
 */
public final class ResumableTraining {

    /** One epoch of training. */
    @FunctionalInterface
    public interface Epoch {
        /** Trains epoch {@code epoch} (0-based) using {@code random} for shuffling; returns mean loss parts by name. */
        Map<String, Double> run(int epoch, Random random);
    }

    private static final String OPTIMIZER_PREFIX = "adamw.";

    private ResumableTraining() {}

    /**
     * Runs epochs {@code [resumed, epochs)} of {@code phase} on {@code block} with {@code optimizer}.
     *
     * @param fingerprint identifies configuration and data; a checkpoint with another fingerprint is refused
     */
    public static FitReport run(String phase, int epochs, long seed, TrainingRun run, String fingerprint, Block block,
            AdamW optimizer, NDManager manager, Epoch body) {
        long start = System.nanoTime();
        Optional<TrainingCheckpoints> checkpoints = Optional.ofNullable(run.workDir())
                .map(dir -> new TrainingCheckpoints(dir, phase));
        int first = 0;
        if (checkpoints.isPresent()) {
            Optional<TrainingCheckpoints.Checkpoint> latest = checkpoints.get().latest(fingerprint, manager);
            if (latest.isPresent()) {
                TrainingCheckpoints.Checkpoint checkpoint = latest.get();
                ParameterTensors.restore(block, "model.", checkpoint.tensors(), "checkpoint " + phase + " epoch "
                        + checkpoint.epoch());
                Map<String, NDArray> state = new LinkedHashMap<>();
                for (NDArray array : checkpoint.tensors()) {
                    if (array.getName().startsWith(OPTIMIZER_PREFIX)) {
                        state.put(array.getName().substring(OPTIMIZER_PREFIX.length()), array);
                    }
                }
                optimizer.restore(state, checkpoint.optimizerSteps());
                checkpoint.tensors().close();
                first = Math.min(checkpoint.epoch(), epochs);
            }
        }
        Progress progress = new Progress(phase + " epoch", epochs, first);
        Map<String, Double> losses = Map.of();
        for (int epoch = first; epoch < epochs; epoch++) {
            KitEngine.seed(seed * 1_000_003L + epoch);
            losses = body.run(epoch, new Random(seed * 7_919L + epoch));
            for (var entry : losses.entrySet()) {
                if (!Double.isFinite(entry.getValue())) {
                    throw new IllegalStateException(phase + " diverged: " + entry.getKey() + " = " + entry.getValue()
                            + " at epoch " + (epoch + 1) + "; lower the learning rate or check the input scale");
                }
            }
            int done = epoch + 1;
            progress.update(done, format(losses));
            boolean stop = run.stopAfterEpoch() > 0 && done >= run.stopAfterEpoch() && done < epochs;
            if (checkpoints.isPresent() && (done % run.checkpointEvery() == 0 || done == epochs || stop)) {
                try (NDManager scope = manager.newSubManager()) {
                    NDList tensors = ParameterTensors.export(block, "model.", scope);
                    optimizer.state().forEach((name, array) -> {
                        NDArray copy = array.duplicate();
                        copy.attach(scope);
                        copy.setName(OPTIMIZER_PREFIX + name);
                        tensors.add(copy);
                    });
                    checkpoints.get().save(done, optimizer.steps(), fingerprint, tensors);
                }
            }
            if (stop) {
                return new FitReport(done, false, losses, (System.nanoTime() - start) / 1e9, first);
            }
        }
        return new FitReport(epochs, true, losses, (System.nanoTime() - start) / 1e9, first);
    }

    private static String format(Map<String, Double> losses) {
        return losses.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.5f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
