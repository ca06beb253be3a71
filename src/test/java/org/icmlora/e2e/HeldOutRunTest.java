package org.icmlora.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.icmlora.engine.Profile;
import org.icmlora.experiments.HeldOutExperiment;
import org.icmlora.experiments.RunContext;
import org.icmlora.experiments.heldout.TaskFolds;
import org.icmlora.experiments.pipeline.Method;
import org.icmlora.experiments.pipeline.Tracks;
import org.icmlora.experiments.pipeline.TrainedGenerator;
import org.icmlora.lora.Adapter;
import org.icmlora.store.ArtifactStore;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.Track;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The held-out experiment at the smoke profile on the real data: {@code icmlora.sh run heldout} writes its tables for
 * both tracks, and the mechanics hold: a fold's generators are fitted without its held-out tasks, and the adapter they
 * write for a held-out task differs from every adapter they were fitted on.
 */
class HeldOutRunTest {

    @RegisterExtension
    static final InProcessCli cli = new InProcessCli();

    private static RunContext smoke() {
        return RunContext.of(Profile.SMOKE, List.of(), new ArtifactStore(cli.work().resolve("cache")),
                cli.work().resolve("reports"));
    }

    @Test
    void theCommandWritesEveryHeldOutTaskAndMethodOfBothTracks() throws Exception {
        cli.run("run", "heldout", "--profile", "smoke").succeeded();
        Path results = cli.work().resolve("reports/results/smoke/seeds-2024-2025/heldout"); // smoke runs two seeds
        List<String> perTask = Files.readAllLines(results.resolve("measured.csv"));
        assertEquals("track,held-out task,fold,method,condition,nearest task,metric,mean,sd,seeds,share",
                perTask.get(0));
        RunContext context = smoke();
        List<ConditionKind> conditions = context.config().heldout().conditions();
        for (String trackId : Tracks.IDS) {
            Set<String> tasks = perTask.stream().filter(line -> line.startsWith(trackId + ","))
                    .map(line -> line.split(",")[1]).collect(Collectors.toSet());
            assertEquals(Set.copyOf(context.config().heldout().tasks(trackId)), tasks, trackId);
        }
        int rowsPerTaskAndMetric = 3 + 3 * conditions.size(); // base, oracle, soup; nearest and two generators
        int heldOut = context.config().heldout().detectionTasks().size()
                + context.config().heldout().languageTasks().size();
        assertEquals(1 + 2 * heldOut * rowsPerTaskAndMetric, perTask.size(), "two metrics per track");
        List<String> summary = Files.readAllLines(results.resolve("comparison.csv"));
        assertEquals("track,metric,method,condition,tasks,mean value,share 95% low,share 95% high,share measured,"
                + "share sd,share paper", summary.get(0));
        assertEquals(1 + 2 * 2 * rowsPerTaskAndMetric, summary.size());
        assertTrue(summary.stream().anyMatch(line -> line.startsWith("detection,map50,Oracle: own fine-tuned LoRA,"
                + "none,")), String.join("\n", summary));
        assertTrue(summary.stream().anyMatch(line -> line.startsWith("language,bpc,ICM-LoRA,description,")),
                String.join("\n", summary));
        String json = Files.readString(results.resolve("result.json"));
        assertTrue(json.contains("ICM-LoRA from the task's description recovers"), json);
    }

    @Test
    void aFoldsGeneratorsNeverSawItsHeldOutTasksAndWriteNewAdapters() {
        RunContext context = smoke();
        int rank = context.config().lora().rank();
        for (String trackId : Tracks.IDS) {
            Track track = Tracks.of(context, trackId);
            TaskFolds.Fold fold = HeldOutExperiment.folds(context, track).get(0);
            Map<Method, TrainedGenerator> generators = HeldOutExperiment.fitFold(context, track, fold,
                    ConditionKind.DESCRIPTION);
            try {
                for (Map.Entry<Method, TrainedGenerator> entry : generators.entrySet()) {
                    TrainedGenerator generator = entry.getValue();
                    assertEquals(fold.training(), List.copyOf(generator.conditions().keySet()),
                            trackId + " " + entry.getKey() + " is fitted on the fold's training tasks only");
                    for (String task : fold.heldOut()) {
                        Adapter generated = generator.generate(track.taskVectors().of(task,
                                ConditionKind.DESCRIPTION), context.seed());
                        for (float value : generated.values()) {
                            assertTrue(Float.isFinite(value), trackId + " " + entry.getKey() + " wrote " + value);
                        }
                        for (String trained : fold.training()) {
                            for (Adapter adapter : track.adapters(trained, rank).adapters()) {
                                assertFalse(Arrays.equals(adapter.values(), generated.values()), trackId + " "
                                        + entry.getKey() + " wrote " + trained + "'s adapter for " + task);
                            }
                        }
                    }
                }
            } finally {
                generators.values().forEach(TrainedGenerator::close);
            }
        }
    }
}
