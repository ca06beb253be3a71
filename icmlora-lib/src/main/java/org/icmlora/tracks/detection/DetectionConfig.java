package org.icmlora.tracks.detection;

import java.util.List;
import org.icmlora.data.scenes.CompositionSettings;
import org.icmlora.data.scenes.Garment;
import org.icmlora.engine.Profile;
import org.icmlora.lora.LoraConfig;
import org.icmlora.models.detector.DetectorConfig;

/**
 * Everything the detection track's stages depend on; part of every artifact key, so a changed value recomputes
 * exactly the stages that use it.
 *
 * @param seed            seeds scenes, initialisation and shuffling
 * @param scenes          how scenes are composed
 * @param detector        the detector's shape
 * @param taskCategories  the five categories of the paper's tables (stand-ins for dog, bicycle, cat, sofa, motorbike)
 * @param baseCategories  what the base model is pretrained to detect: three of the task categories and others, never
 *                        the remaining two task categories (those appear in its pictures only as distractors)
 * @param refusalRate     fraction of base-pretraining scenes that name a garment that is neither a base nor a task
 *                        category ({@link #refusedCategories()}) and expect no detection: the base model learns that
 *                        a prompt it was not trained for means nothing to find (the task categories' own prompts are
 *                        never used before their LoRA fine-tuning)
 * @param base            base pretraining
 * @param lora            LoRA fine-tuning of one category
 * @param keptEpochs      K: the adapters of the last K of {@code lora.epochs()} epochs are recorded
 * @param defaultRank     the rank of Table 1 and of the vision task vectors
 * @param loraTargets     the layers LoRA adapts (regular expressions over layer names)
 * @param testScenes      test scenes per category for mAP
 * @param taskVectorScenes N of Eq. 1: validation scenes per category averaged into the vision task vector
 * @param minScore        detections scoring below this are dropped before NMS
 */
public record DetectionConfig(long seed, CompositionSettings scenes, DetectorConfig detector,
        List<Garment> taskCategories, List<Garment> baseCategories, double refusalRate, TrainingSettings base,
        TrainingSettings lora,
        int keptEpochs, int defaultRank, List<String> loraTargets, int testScenes, int taskVectorScenes,
        double minScore) {

    /** The task categories the base model is pretrained on (sneaker, trouser, bag). */
    public static final List<Garment> SEEN = List.of(Garment.SNEAKER, Garment.TROUSER, Garment.BAG);
    /** The task categories the base model never learns (dress, sandal), like the paper's sofa and motorbike. */
    public static final List<Garment> UNSEEN = List.of(Garment.DRESS, Garment.SANDAL);
    /** LoRA targets: every attention and MLP linear layer of the detector's blocks. */
    public static final List<String> ATTENTION_AND_MLP = List.of("blocks\\.\\d+\\.attn\\.(q|k|v|o)",
            "blocks\\.\\d+\\.mlp\\.(fc|proj)");

    public DetectionConfig {
        taskCategories = List.copyOf(taskCategories);
        baseCategories = List.copyOf(baseCategories);
        loraTargets = List.copyOf(loraTargets);
        if (baseCategories.isEmpty() || !(refusalRate >= 0 && refusalRate < 1)) {
            throw new IllegalArgumentException("the base model needs at least one category and a refusal rate in [0, 1)");
        }
        if (keptEpochs < 1 || keptEpochs > lora.epochs()) {
            throw new IllegalArgumentException("keptEpochs must be in 1.." + lora.epochs() + ", got " + keptEpochs);
        }
        if (scenes.size() != detector.imageSize()) {
            throw new IllegalArgumentException("scene size " + scenes.size() + " differs from the detector's image size "
                    + detector.imageSize());
        }
        if (testScenes < 1 || taskVectorScenes < 1) {
            throw new IllegalArgumentException("testScenes and taskVectorScenes must be >= 1");
        }
    }

    /** The configuration of a profile: SMOKE for tests, QUICK for a 2-core CPU, FULL for one GPU. */
    public static DetectionConfig forProfile(Profile profile) {
        List<Garment> task = List.of(Garment.SNEAKER, Garment.TROUSER, Garment.BAG, Garment.DRESS, Garment.SANDAL);
        // No upper-body garment: a base model prompted with the unseen "Detect the dress ..." answers with a mixture of
        // the queries it knows; had it learnt T-shirts or pullovers (which dresses resemble), that mixture would partly
        // detect dresses (quick profile, before refusal training: base mAP50 on dress 0.29 with T-shirt and pullover
        // among the base categories, 0.15 without them; 0.01 once the refused garments are trained to give nothing).
        List<Garment> base = List.of(Garment.TROUSER, Garment.SNEAKER, Garment.BAG, Garment.ANKLE_BOOT);
        return switch (profile) {
            case SMOKE -> new DetectionConfig(7, new CompositionSettings(32, 10, 16, 1, 0, 2, 0.1, 0.2),
                    new DetectorConfig(32, 4, 16, 2, 1, 32, 384, 12), task, base, 0.2,
                    new TrainingSettings(32, 2, 16, 3e-3f, 1e-4f), new TrainingSettings(16, 3, 8, 5e-3f, 0f),
                    2, 2, ATTENTION_AND_MLP, 8, 4, 0.0);
            case QUICK -> new DetectionConfig(7, new CompositionSettings(64, 14, 28, 2, 1, 3, 0.1, 0.2),
                    new DetectorConfig(64, 16, 64, 4, 2, 128, 384, 20), task, base, 0.2,
                    new TrainingSettings(4096, 10, 32, 3e-3f, 1e-4f), new TrainingSettings(1024, 8, 32, 7e-3f, 0f),
                    5, 2, ATTENTION_AND_MLP, 300, 64, 0.05);
            case FULL -> new DetectionConfig(7, new CompositionSettings(96, 18, 40, 3, 1, 5, 0.1, 0.2),
                    new DetectorConfig(96, 32, 128, 4, 4, 256, 384, 28), task, base, 0.2,
                    new TrainingSettings(20_000, 30, 64, 1e-3f, 1e-4f), new TrainingSettings(2048, 150, 64, 3e-3f, 0f),
                    50, 2, ATTENTION_AND_MLP, 1000, 256, 0.01);
        };
    }

    /** The garments that are neither base nor task categories: the base model learns to answer them with nothing. */
    public List<Garment> refusedCategories() {
        return java.util.Arrays.stream(Garment.values())
                .filter(g -> !baseCategories.contains(g) && !taskCategories.contains(g)).toList();
    }

    /** The adapter configuration at rank {@code rank}: alpha = 2r (scale 2), Kaiming-uniform A, the track's targets. */
    public LoraConfig loraConfig(int rank) {
        return LoraConfig.of(rank, loraTargets.toArray(String[]::new));
    }
}
