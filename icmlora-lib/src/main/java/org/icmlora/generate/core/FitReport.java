package org.icmlora.generate.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.icmlora.train.TrainingReport;

/**
 * What fitting a generator did: one {@link TrainingReport} per training phase (the CVAE has one; COND P-DIFF two,
 * autoencoder then denoiser; Model Soup none, it is computed in closed form), each with its loss curve, and the wall
 * time of the call. Stored with every fitted generator so a reader sees whether it converged.
 *
 * @param phases  the phases in training order
 * @param seconds wall-clock time of the fit call
 */
public record FitReport(List<TrainingReport> phases, double seconds) {

    public FitReport {
        phases = List.copyOf(phases);
    }

    /** A fit without training (Model Soup, Task-mean LoRA). */
    public static FitReport closedForm(double seconds) {
        return new FitReport(List.of(), seconds);
    }

    /** This report as a stage output stores it: without times and resume points ({@link TrainingReport#stored}). */
    public FitReport stored() {
        return new FitReport(phases.stream().map(TrainingReport::stored).toList(), 0);
    }

    /** True when every phase reached its last epoch. */
    public boolean complete() {
        return phases.stream().allMatch(TrainingReport::complete);
    }

    /** Epochs finished over all phases. */
    public int epochsDone() {
        return phases.stream().mapToInt(TrainingReport::epochsDone).sum();
    }

    /** Epochs restored from checkpoints over all phases (0 for a fresh start). */
    public int resumedFrom() {
        return phases.stream().mapToInt(TrainingReport::resumedFrom).sum();
    }

    /** Optimiser steps over all phases. */
    public int optimizerSteps() {
        return phases.stream().mapToInt(TrainingReport::optimizerSteps).sum();
    }

    /** The last epoch's loss parts of every phase, by name (phases use distinct names). */
    public Map<String, Double> lastLosses() {
        Map<String, Double> losses = new LinkedHashMap<>();
        phases.forEach(phase -> losses.putAll(phase.lastLosses()));
        return losses;
    }
}
