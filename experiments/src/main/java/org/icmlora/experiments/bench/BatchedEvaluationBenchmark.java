package org.icmlora.experiments.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.ProcessCpu;
import org.icmlora.engine.Profile;
import org.icmlora.experiments.RunContext;
import org.icmlora.experiments.pipeline.Tracks;
import org.icmlora.lora.Adapter;
import org.icmlora.lora.LoraLayout;
import org.icmlora.tracks.Evaluation;
import org.icmlora.tracks.Track;

/**
 * Evaluating k adapters on one task one by one ({@link Track#evaluate} k times) against all at once in one batched
 * pass with a per-row adapter ({@link Track#evaluateAll}), on both tracks at a profile's sizes (default quick), with k
 * random adapters of the run's rank: the CPU seconds of each way, their ratio, and whether the two give the same
 * evaluations bit for bit. The base models come from the kit's cache (trained first if missing).
 *
 * <pre>
 *   bash environment/bench.sh batched-evaluation [profile] [k] [repeats] [detection,language]
 * </pre>
 * CPU seconds are the calling thread's (with one intra-op thread PyTorch computes on it), so other processes on the
 * machine do not change them; wall seconds are printed too, with the load average.
 */
public final class BatchedEvaluationBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private BatchedEvaluationBenchmark() {}

    public static void main(String[] args) {
        Profile profile = Profile.parse(args.length > 0 ? args[0] : "quick", "profile");
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> tracks = args.length > 3 ? List.of(args[3].split(",")) : Tracks.IDS;
        KitEngine.init();
        RunContext context = RunContext.of(profile, List.of("run.seeds=1"), org.icmlora.store.ArtifactStore
                .atDefaultLocation(), org.icmlora.engine.KitPaths.reports());
        System.out.printf(Locale.ROOT, "batched evaluation, profile %s, k = %d adapters, %d repeats; %s; load average"
                + " %s%n", profile.id(), k, repeats, MachineState.describe(), ProcessCpu.loadAverage());
        for (String trackId : tracks) {
            Track track = Tracks.of(context, trackId);
            track.baseModel();
            String task = track.tasks().get(0).id();
            List<Optional<Adapter>> adapters = randomAdapters(track, context.config().lora().rank(), k);
            track.evaluate(task, adapters.get(0)); // warm-up: JIT and PyTorch's first-use kernel choices
            double[] alone = new double[repeats];
            double[] together = new double[repeats];
            double[] aloneWall = new double[repeats];
            double[] togetherWall = new double[repeats];
            boolean identical = true;
            for (int r = 0; r < repeats; r++) {
                long cpu = THREADS.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                List<Evaluation> oneByOne = new ArrayList<>();
                for (Optional<Adapter> adapter : adapters) {
                    oneByOne.add(track.evaluate(task, adapter));
                }
                alone[r] = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
                aloneWall[r] = (System.nanoTime() - wall) / 1e9;
                cpu = THREADS.getCurrentThreadCpuTime();
                wall = System.nanoTime();
                List<Evaluation> batched = track.evaluateAll(task, adapters);
                together[r] = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
                togetherWall[r] = (System.nanoTime() - wall) / 1e9;
                for (int i = 0; i < k; i++) {
                    identical &= oneByOne.get(i).toJson().equals(batched.get(i).toJson());
                }
            }
            System.out.printf(Locale.ROOT, "%-9s task %-10s one by one %7.2f CPU s (%7.2f wall), together %7.2f CPU s"
                    + " (%7.2f wall), speed-up %.2fx by CPU (medians of %d); identical evaluations: %s%n", trackId,
                    task, Median.of(alone), Median.of(aloneWall), Median.of(together), Median.of(togetherWall),
                    Median.of(alone) / Median.of(together), repeats, identical ? "yes, bit for bit" : "NO");
        }
        System.out.println("load average at the end: " + ProcessCpu.loadAverage());
    }

    /** k adapters of {@code rank} with small random factors (B too, so that each changes the model). */
    private static List<Optional<Adapter>> randomAdapters(Track track, int rank, int k) {
        LoraLayout layout = track.layout(rank);
        Random random = new Random(1);
        List<Optional<Adapter>> adapters = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            float[] values = new float[layout.size()];
            for (int v = 0; v < values.length; v++) {
                values[v] = (float) (0.05 * random.nextGaussian());
            }
            adapters.add(Optional.of(new Adapter(track.adapterConfig(rank), layout, values)));
        }
        return adapters;
    }
}
