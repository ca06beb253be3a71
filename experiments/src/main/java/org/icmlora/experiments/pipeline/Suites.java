package org.icmlora.experiments.pipeline;

import java.util.HashMap;
import java.util.Map;
import org.icmlora.experiments.RunContext;
import org.icmlora.tracks.detection.DetectionConfig;
import org.icmlora.tracks.detection.DetectionScenes;
import org.icmlora.tracks.detection.DetectionTrack;
import org.icmlora.tracks.detection.PromptEmbeddings;

/**
 * The task suites of a run, opened once per JVM and profile and shared by every experiment (opening the detection
 * suite loads the MiniLM encoder and the Fashion-MNIST images).
 */
public final class Suites {

    private static final Map<String, DetectionSuite> DETECTION = new HashMap<>();

    private Suites() {}

    /** The detection categories at the context's profile, caching in the context's store. */
    public static synchronized DetectionSuite detection(RunContext context) {
        return DETECTION.computeIfAbsent(context.profile() + "@" + context.store().root(), k -> {
            DetectionConfig config = DetectionConfig.forProfile(context.profile());
            return new DetectionSuite(new DetectionTrack(config, context.store(), DetectionScenes.fashionMnist(config),
                    PromptEmbeddings.compute()));
        });
    }
}
