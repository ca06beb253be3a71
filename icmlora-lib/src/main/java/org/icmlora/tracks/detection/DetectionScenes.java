package org.icmlora.tracks.detection;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.icmlora.data.scenes.Garment;
import org.icmlora.data.scenes.ObjectBank;
import org.icmlora.data.scenes.SceneComposer;
import org.icmlora.engine.Seeds;
import org.icmlora.data.scenes.SceneSplit;

/**
 * Every scene the detection track uses, each made on demand from a seed (composing one takes well under a millisecond,
 * so nothing is stored): scene {@code i} of a stream is always the same picture.
 *
 * <ul>
 *   <li>base pretraining: scene i names a garment drawn from the base categories; distractors come from all other
 *       nine garments, including the task categories the base model never learns, so it learns not to fire on them.
 *       A fraction ({@code refusalRate}) of the scenes instead names a "refused" garment (neither a base nor a task
 *       category) and expects no detection, so the base model learns that a prompt it was not trained for means
 *       nothing to find;</li>
 *   <li>a task category's scenes (training, validation or test split): its garment plus distractors of all others.</li>
 * </ul>
 */
public final class DetectionScenes {

    private static final long BASE_STREAM = 1;
    private static final long TASK_STREAM = 2;

    private final long baseSeed;
    private final long taskSeed;
    private final List<Garment> baseCategories;
    private final List<Garment> refusedCategories;
    private final double refusalRate;
    private final Map<SceneSplit, SceneComposer> composers = new EnumMap<>(SceneSplit.class);
    private final Function<SceneSplit, SceneComposer> composerFactory;

    /**
     * Scenes of the track configured by {@code config}: base-pretraining scenes drawn from {@code baseSeed}, the task
     * categories' scenes from {@code taskSeed}, composed by the composer {@code composerFactory} gives for each split
     * (built once per split, on first use).
     */
    public DetectionScenes(DetectionConfig config, long baseSeed, long taskSeed,
            Function<SceneSplit, SceneComposer> composerFactory) {
        this.baseSeed = baseSeed;
        this.taskSeed = taskSeed;
        this.baseCategories = config.baseCategories();
        this.refusedCategories = config.refusedCategories();
        this.refusalRate = config.refusalRate();
        this.composerFactory = composerFactory;
    }

    /** Scenes from the Fashion-MNIST images (see {@link ObjectBank#fashionMnist}). */
    public static DetectionScenes fashionMnist(DetectionConfig config, long baseSeed, long taskSeed) {
        return new DetectionScenes(config, baseSeed, taskSeed,
                split -> new SceneComposer(ObjectBank.fashionMnist(split), config.scenes()));
    }

    /** Base pretraining example {@code index} (training split). */
    public DetectionSample baseSample(int index) {
        long sceneSeed = Seeds.derive(baseSeed, BASE_STREAM, index);
        double draw = (Seeds.derive(sceneSeed, 0) >>> 11) * 0x1.0p-53;
        if (draw < refusalRate && !refusedCategories.isEmpty()) {
            Garment refused = refusedCategories.get(Math.floorMod(sceneSeed, refusedCategories.size()));
            return new DetectionSample(composer(SceneSplit.TRAIN).compose(sceneSeed, refused, othersThan(refused)),
                    refused, List.of());
        }
        Garment prompt = baseCategories.get(Math.floorMod(sceneSeed, baseCategories.size()));
        return DetectionSample.of(composer(SceneSplit.TRAIN).compose(sceneSeed, prompt, othersThan(prompt)), prompt);
    }

    /** Example {@code index} of {@code category} in {@code split}. */
    public DetectionSample taskSample(Garment category, SceneSplit split, int index) {
        long sceneSeed = Seeds.derive(taskSeed, TASK_STREAM, split.ordinal(), category.label(), index);
        return DetectionSample.of(composer(split).compose(sceneSeed, category, othersThan(category)), category);
    }

    private synchronized SceneComposer composer(SceneSplit split) {
        return composers.computeIfAbsent(split, composerFactory);
    }

    private static Set<Garment> othersThan(Garment garment) {
        Set<Garment> others = EnumSet.allOf(Garment.class);
        others.remove(garment);
        return others;
    }
}
