package org.icmlora.experiments;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.icmlora.data.text.PreparedCorpus;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.Profile;
import org.icmlora.eval.LanguageModelScore;
import org.icmlora.lora.LoraCheckpoint;
import org.icmlora.taskvec.NearestCentroid;
import org.icmlora.tracks.language.LanguageTrack;

/**
 * Runs the language-modelling track at the profile of {@code ICMLORA_PROFILE} (default quick) on the prepared real
 * corpora and prints what the issue asks to measure: corpus sizes, seconds per stage, base vs fine-tuned PPL/BPC per
 * domain, and the held-out nearest-centroid accuracy of per-sample task vectors. Stages already in the artifact
 * store are reused (their time then reads near zero): clear {@code ICMLORA_CACHE} for a cold measurement.
 */
public final class LanguageTrackRun {

    private LanguageTrackRun() {}

    /** No arguments; profile and threads come from ICMLORA_PROFILE and ICMLORA_THREADS. */
    public static void main(String[] args) {
        Profile profile = Profile.fromEnvironment();
        KitEngine.init();
        LanguageTrack track = LanguageTrack.forProfile(profile);
        System.out.println("profile " + profile.id() + ", " + KitEngine.describe() + ", tokenizer "
                + track.tokenizer().id());
        for (Map.Entry<String, PreparedCorpus> e : new java.util.TreeMap<>(track.prepare()).entrySet()) {
            var s = e.getValue().manifest().splits();
            System.out.printf(Locale.ROOT, "corpus %-11s train %5d docs %9d chars | validation %4d docs %8d chars"
                    + " | test %4d docs %8d chars%n", e.getKey(), s.get("train").documents(),
                    s.get("train").characters(), s.get("validation").documents(), s.get("validation").characters(),
                    s.get("test").documents(), s.get("test").characters());
        }
        long start = System.nanoTime();
        track.baseModel();
        System.out.printf(Locale.ROOT, "stage lm-base: %.1f s%n", seconds(start));
        int rank = track.config().adapter().rank();
        Map<String, float[][]> tuned = new LinkedHashMap<>();
        Map<String, float[][]> base = new LinkedHashMap<>();
        double seriesSeconds = 0;
        for (String domain : track.domains()) {
            start = System.nanoTime();
            var series = track.adapterSeries(domain, rank);
            double s = seconds(start);
            seriesSeconds += s;
            LoraCheckpoint last = series.load(track.config().lora().epochs());
            start = System.nanoTime();
            LanguageModelScore before = track.evaluate(domain, last.layout(), null);
            LanguageModelScore after = track.evaluate(domain, last.layout(), last.vector());
            double evalSeconds = seconds(start);
            start = System.nanoTime();
            tuned.put(domain, track.taskVector(domain).samples());
            double vectorSeconds = seconds(start);
            base.put(domain, track.baseHiddenStates(domain));
            System.out.printf(Locale.ROOT, "domain %-11s base PPL %7.3f BPC %.3f | adapter PPL %7.3f BPC %.3f | "
                    + "series %d checkpoints %.1f s, 2 evaluations %.1f s, task vector %.1f s%n", domain,
                    before.perplexity(), before.bitsPerCharacter(), after.perplexity(), after.bitsPerCharacter(),
                    series.epochs().size(), s, evalSeconds, vectorSeconds);
        }
        System.out.printf(Locale.ROOT, "stage lm-lora-series, all domains: %.1f s%n", seriesSeconds);
        System.out.printf(Locale.ROOT, "nearest-centroid accuracy (held-out samples, chance %.2f): fine-tuned task "
                + "vectors %.3f, base-model hidden states %.3f%n", 1.0 / track.domains().size(),
                NearestCentroid.heldOutAccuracy(tuned), NearestCentroid.heldOutAccuracy(base));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
