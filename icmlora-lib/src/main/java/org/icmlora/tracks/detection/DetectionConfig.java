package org.icmlora.tracks.detection;

import java.util.ArrayList;
import java.util.List;
import org.icmlora.data.scenes.CompositionSettings;
import org.icmlora.data.scenes.Garment;
import org.icmlora.models.detector.DetectorConfig;

/**
 * Everything the detection track's stages depend on besides the run's seeds and LoRA settings; part of every artifact
 * key, so a changed value recomputes exactly the stages that use it. The profile files under
 * {@code experiments/profiles/} set every value (keys {@code detection.<component>}).
 *
 * @param scenes          how scenes are composed
 * @param detector        the detector's shape
 * @param taskCategories  the categories of the paper's tables, in table order (the kit's stand-ins for dog, bicycle,
 *                        cat, sofa, motorbike)
 * @param extraCategories more categories trained as tasks in the same adapter frame, used by no table (the held-out
 *                        experiment's pool). They leave the base model as it is: one that is neither a base nor a task
 *                        category stays a refused prompt in base pretraining ({@link #refusedCategories()}), so its
 *                        adapter has to undo a learned "nothing to find"
 * @param baseCategories  what the base model is pretrained to detect: some of the task categories and others, never
 *                        the remaining task categories (those appear in its pictures only as distractors)
 * @param refusalRate     fraction of base-pretraining scenes that name a garment that is neither a base nor a task
 *                        category ({@link #refusedCategories()}) and expect no detection: the base model learns that
 *                        a prompt it was not trained for means nothing to find (the task categories' own prompts are
 *                        never used before their LoRA fine-tuning)
 * @param base            base pretraining
 * @param lora            LoRA fine-tuning of one category (its epochs are N)
 * @param keptEpochs      K: the adapters of the last K of N epochs are recorded
 * @param loraTargets     the layers LoRA adapts (regular expressions over layer names)
 * @param testScenes      test scenes per category for mAP
 * @param taskVectorScenes N of Eq. 1: validation scenes per category whose hidden states the task vector averages
 * @param minScore        detections scoring below this are dropped before NMS
 */
public record DetectionConfig(CompositionSettings scenes, DetectorConfig detector, List<Garment> taskCategories,
        List<Garment> extraCategories, List<Garment> baseCategories, double refusalRate, TrainingSettings base,
        TrainingSettings lora, int keptEpochs, List<String> loraTargets, int testScenes, int taskVectorScenes,
        double minScore) {

    public DetectionConfig {
        taskCategories = List.copyOf(taskCategories);
        extraCategories = List.copyOf(extraCategories);
        baseCategories = List.copyOf(baseCategories);
        loraTargets = List.copyOf(loraTargets);
        if (taskCategories.isEmpty() || baseCategories.isEmpty() || !(refusalRate >= 0 && refusalRate < 1)) {
            throw new IllegalArgumentException("the track needs task categories, the base model at least one category"
                    + " and a refusal rate in [0, 1)");
        }
        List<Garment> tasks = new ArrayList<>(taskCategories);
        tasks.addAll(extraCategories);
        if (tasks.stream().distinct().count() != tasks.size()) {
            throw new IllegalArgumentException("a category is listed twice among the task and extra categories "
                    + tasks + "; list each once");
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

    /**
     * The garments that are neither base nor (table) task categories: the base model learns to answer them with
     * nothing. Extra categories do not change this list, so adding one leaves the base model as it is.
     */
    public List<Garment> refusedCategories() {
        return java.util.Arrays.stream(Garment.values())
                .filter(g -> !baseCategories.contains(g) && !taskCategories.contains(g)).toList();
    }
}
