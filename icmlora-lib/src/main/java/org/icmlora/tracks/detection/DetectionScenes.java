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
import org.icmlora.data.scenes.SceneSplit;

/**
 * Every scene the detection track uses, each made on demand from a seed (composing one takes well under a millisecond,
 * so nothing is stored): scene {@code i} of a stream is always the same picture.
 *
 * <ul>
 *   <li>base pretraining: scene i names a garment drawn from the base categories; distractors come from all other
 *       nine garments, including the task categories the base model never learns, so it learns not to fire on them;</li>
 *   <li>a task category's scenes (training, validation or test split): its garment plus distractors of all others.</li>
 * </ul>
 */
public final class DetectionScenes {

    private static final long BASE_STREAM = 1;
    private static final long TASK_STREAM = 2;

    private final long seed;
    private final List<Garment> baseCategories;
    private final Map<SceneSplit, SceneComposer> composers = new EnumMap<>(SceneSplit.class);
    private final Function<SceneSplit, SceneComposer> composerFactory;

    /**
     * Scenes seeded by {@code seed}, composed by the composer {@code composerFactory} gives for each split (built
     * once per split, on first use).
     */
    public DetectionScenes(long seed, List<Garment> baseCategories, Function<SceneSplit, SceneComposer> composerFactory) {
        if (baseCategories.isEmpty()) {
            throw new IllegalArgumentException("the base model needs at least one pretraining category");
        }
        this.seed = seed;
        this.baseCategories = List.copyOf(baseCategories);
        this.composerFactory = composerFactory;
    }

    /** Scenes from the Fashion-MNIST images (see {@link ObjectBank#fashionMnist}). */
    public static DetectionScenes fashionMnist(DetectionConfig config) {
        return new DetectionScenes(config.seed(), config.baseCategories(),
                split -> new SceneComposer(ObjectBank.fashionMnist(split), config.scenes()));
    }

    /** Base pretraining example {@code index} (training split). */
    public DetectionSample baseSample(int index) {
        long sceneSeed = SceneComposer.seedFor(seed, BASE_STREAM, index);
        Garment prompt = baseCategories.get(Math.floorMod(sceneSeed, baseCategories.size()));
        return new DetectionSample(composer(SceneSplit.TRAIN).compose(sceneSeed, prompt, othersThan(prompt)), prompt);
    }

    /** Example {@code index} of {@code category} in {@code split}. */
    public DetectionSample taskSample(Garment category, SceneSplit split, int index) {
        long sceneSeed = SceneComposer.seedFor(seed, TASK_STREAM, split.ordinal(), category.label(), index);
        return new DetectionSample(composer(split).compose(sceneSeed, category, othersThan(category)), category);
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
