package org.icmlora.experiments.detection;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.icmlora.data.scenes.Garment;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.KitPaths;
import org.icmlora.engine.Profile;
import org.icmlora.lora.CheckpointSeries;
import org.icmlora.lora.LoraCheckpoint;
import org.icmlora.tracks.detection.DetectionConfig;
import org.icmlora.tracks.detection.DetectionDrawing;
import org.icmlora.tracks.detection.DetectionEvaluation;
import org.icmlora.tracks.detection.DetectionTrack;

/**
 * Runs the detection track end to end at the profile of {@code ICMLORA_PROFILE} and prints what the issue asks to
 * measure: time of each stage, per-category mAP50/75 of the base model and of the fine-tuned adapter (last recorded
 * epoch, rank {@code defaultRank}), and the adapter size P at ranks 1, 2, 4, 8. Stages already in the artifact store
 * are reused (their time is then near zero), so run with a fresh {@code ICMLORA_CACHE} to time training. Writes one
 * picture per category to {@code reports/detection-bench/}.
 */
public final class DetectionTrackBench {

    private DetectionTrackBench() {}

    public static void main(String[] args) {
        Profile profile = Profile.fromEnvironment();
        KitEngine.init();
        System.out.println("detection track, profile " + profile.id() + ", " + KitEngine.describe());
        long t0 = System.nanoTime();
        DetectionTrack track = DetectionTrack.open(profile);
        DetectionConfig config = track.config();
        System.out.printf(Locale.ROOT, "set-up (MiniLM prompts): %.1f s%n", seconds(t0));
        long t1 = System.nanoTime();
        track.baseModel();
        double baseSeconds = seconds(t1);
        System.out.printf(Locale.ROOT, "base pretraining: %.1f s%n", baseSeconds);
        int rank = config.defaultRank();
        double loraSeconds = 0;
        Path pictures = KitPaths.reports().resolve("detection-bench");
        System.out.println("category  seen  base mAP50  base mAP75  LoRA mAP50  LoRA mAP75  LoRA s  eval s");
        for (Garment category : track.categories()) {
            long t2 = System.nanoTime();
            CheckpointSeries series = track.adapterSeries(category, rank);
            double lora = seconds(t2);
            loraSeconds += lora;
            long t3 = System.nanoTime();
            DetectionEvaluation base = track.evaluateBase(category);
            LoraCheckpoint last = series.load(series.latestEpoch().orElseThrow());
            DetectionEvaluation tuned = track.evaluate(category, last.layout(), last.vector());
            double eval = seconds(t3);
            System.out.printf(Locale.ROOT, "%-9s %-5s %10.3f  %10.3f  %10.3f  %10.3f  %6.1f  %6.1f%n", category.id(),
                    DetectionConfig.SEEN.contains(category) ? "yes" : "no", base.map50(), base.map75(), tuned.map50(),
                    tuned.map75(), lora, eval);
            DetectionDrawing.writePng(DetectionTrack.drawDetections(tuned.images().get(0),
                    category.noun() + ", LoRA r=" + rank), pictures.resolve(category.id() + "-lora.png"));
            DetectionDrawing.writePng(DetectionTrack.drawDetections(base.images().get(0), category.noun() + ", base"),
                    pictures.resolve(category.id() + "-base.png"));
        }
        System.out.printf(Locale.ROOT, "LoRA series (%d categories, r=%d, %d epochs, last %d kept): %.1f s%n",
                track.categories().size(), rank, config.lora().epochs(), config.keptEpochs(), loraSeconds);
        System.out.printf(Locale.ROOT, "base + LoRA series: %.1f s (evaluations and pictures excluded)%n",
                baseSeconds + loraSeconds);
        for (int r : List.of(1, 2, 4, 8)) {
            System.out.println("P at r=" + r + ": " + track.layout(r).size());
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
