package org.icmlora.experiments.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.icmlora.experiments.RunContext;
import org.icmlora.lora.Adapter;
import org.icmlora.store.ArtifactStore;
import org.icmlora.store.StageKey;
import org.icmlora.tracks.Track;

/**
 * Adapters drawn from a fitted generator for one of its training tasks, cached as the stage {@code <track>-generated}:
 * the {@code count} samples of one generation call from the task's stored condition under one seed, each kept as an
 * adapter directory ({@link Adapter#save}). The controls draw many adapters per task and seed (COND P-DIFF samples with
 * 1,000 denoising steps, half a second to a second per call at quick); with the draws cached, a rerun reads them back
 * bit for bit instead of sampling again. Like every stage output they hold no times: how long generation takes is
 * measured where it is reported.
 */
public final class GeneratedAdapters {

    private GeneratedAdapters() {}

    private record Stage(String task, int count, long seed) {}

    /**
     * The {@code count} adapter vectors {@code generator} draws for its training task {@code task} with {@code seed} in
     * one call (the first is {@link TrainedGenerator#generate(String, long)}'s adapter), computed once and cached
     * under the generator's key.
     */
    public static List<float[]> draw(RunContext context, Track track, TrainedGenerator generator, String task,
            int count, long seed) {
        Stage stage = new Stage(task, count, seed);
        StageKey key = ArtifactStore.key(track.id() + "-generated", stage, generator.key());
        Path dir = context.store().getOrCompute(key, stage, out -> {
            List<float[]> samples = generator.generate(task, count, seed).samples();
            for (int s = 0; s < count; s++) {
                new Adapter(generator.adapter(), generator.layout(), samples.get(s))
                        .save(Files.createDirectories(out.resolve(sampleDir(s))), Adapter.Origin.NONE);
            }
        });
        List<float[]> samples = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            samples.add(Adapter.load(dir.resolve(sampleDir(s))).values());
        }
        return samples;
    }

    private static String sampleDir(int sample) {
        return String.format(Locale.ROOT, "sample-%03d", sample + 1);
    }
}
