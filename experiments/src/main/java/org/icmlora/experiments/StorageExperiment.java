package org.icmlora.experiments;

import java.util.ArrayList;
import java.util.List;
import org.icmlora.engine.KitPaths;
import org.icmlora.experiments.pipeline.GeneratorStage;
import org.icmlora.experiments.pipeline.Method;
import org.icmlora.experiments.pipeline.Tracks;
import org.icmlora.experiments.pipeline.TrainedGenerator;
import org.icmlora.experiments.pipeline.Upstream;
import org.icmlora.store.DiskUsage;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.detection.DetectionTrack;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Table 3: bytes on disk of what each approach keeps, measured on files: the detection data set (the Fashion-MNIST
 * files the scenes are composed from), all original LoRA checkpoints of the five categories at each rank, and each
 * generator at each rank (its weights, configuration and normalisation statistics, plus the task vectors it is
 * conditioned on).
 */
public final class StorageExperiment implements Experiment {

    @Override
    public String id() {
        return "table3";
    }

    @Override
    public String title() {
        return "Table 3: storage of the data, the LoRA checkpoints and each generator";
    }

    @Override
    public ExperimentResult run(RunContext context) {
        DetectionTrack track = Tracks.detection(context);
        StringColumn items = StringColumn.create("item");
        StringColumn ranks = StringColumn.create("rank");
        DoubleColumn bytes = DoubleColumn.create("storage");
        StringColumn human = StringColumn.create("storage (human)");
        add(items, ranks, bytes, human, "Original COCO", "all",
                DiskUsage.bytes(KitPaths.datasets().resolve("raw").resolve("fashion-mnist")));
        Upstream.prepare(List.of(track), context.config().lora().ranks(), List.of()); // every series, side by side
        for (int rank : context.config().lora().ranks()) {
            long checkpoints = track.tasks().stream()
                    .mapToLong(task -> DiskUsage.bytes(track.adapters(task.id(), rank).dir())).sum();
            add(items, ranks, bytes, human, "Original LoRA", Integer.toString(rank), checkpoints);
        }
        List<GeneratorStage.Request> fits = new ArrayList<>();
        for (int rank : context.config().lora().ranks()) {
            for (Method method : Method.generators()) {
                fits.add(new GeneratorStage.Request(context, track, method.generator(context.config()), rank,
                        ConditionKind.FINE_TUNED_STATES));
            }
        }
        List<TrainedGenerator> generators = GeneratorStage.fitAll(fits);
        try {
            for (int i = 0; i < fits.size(); i++) {
                add(items, ranks, bytes, human, Method.generators().get(i % Method.generators().size()).paperName(),
                        Integer.toString(fits.get(i).rank()), generators.get(i).storageBytes());
            }
        } finally {
            generators.forEach(TrainedGenerator::close);
        }
        Table measured = Table.create(title() + " (measured, bytes)", items, ranks, bytes, human);
        Table paper = PaperTables.table3();
        DoubleColumn paperBytes = DoubleColumn.create("storage",
                paper.stringColumn("storage").asList().stream().mapToDouble(PaperTables::parseStorage).toArray());
        paper.replaceColumn("storage", paperBytes);
        Table comparison = Comparison.of(title() + ": measured vs paper (bytes)", measured, paper,
                List.of("item", "rank"), List.of("storage"));
        ExperimentResult result = new ExperimentResult(id(), title(), context, measured, comparison);
        result.withNote("'Original COCO' is the kit's stand-in data set: the four Fashion-MNIST files the detection"
                + " scenes are composed from (scenes are generated from a seed, not stored).");
        result.withNote("The kit's models are small, so every measured size is orders of magnitude below the paper's;"
                + " compare ratios (generator vs all checkpoints) rather than absolute sizes.");
        return result;
    }

    private static void add(StringColumn items, StringColumn ranks, DoubleColumn bytes, StringColumn human, String item,
            String rank, long value) {
        items.append(item);
        ranks.append(rank);
        bytes.append(value);
        human.append(DiskUsage.human(value));
    }
}
