package org.icmlora.experiments.pipeline;

import java.util.HashMap;
import java.util.Map;
import org.icmlora.data.text.TextCorpora;
import org.icmlora.data.text.TextDataLocation;
import org.icmlora.experiments.RunContext;
import org.icmlora.tracks.detection.DetectionConfig;
import org.icmlora.tracks.detection.DetectionScenes;
import org.icmlora.tracks.detection.DetectionTrack;
import org.icmlora.tracks.detection.PromptEmbeddings;
import org.icmlora.tracks.language.LanguageTrack;
import org.icmlora.tracks.language.LanguageTrackConfig;

/**
 * The task suites of a run, opened once per JVM, profile and store and shared by every experiment (opening the
 * detection suite loads the MiniLM encoder and the Fashion-MNIST images).
 */
public final class Suites {

    private static final Map<String, DetectionSuite> DETECTION = new HashMap<>();
    private static final Map<String, LanguageSuite> LANGUAGE = new HashMap<>();

    private Suites() {}

    /** The detection categories at the context's profile, caching in the context's store. */
    public static synchronized DetectionSuite detection(RunContext context) {
        return DETECTION.computeIfAbsent(context.profile() + "@" + context.store().root(), k -> {
            DetectionConfig config = DetectionConfig.forProfile(context.profile());
            return new DetectionSuite(new DetectionTrack(config, context.store(), DetectionScenes.fashionMnist(config),
                    PromptEmbeddings.compute()));
        });
    }

    /** The five text domains at the context's profile, caching in the context's store. */
    public static synchronized LanguageSuite language(RunContext context) {
        return LANGUAGE.computeIfAbsent(context.profile() + "@" + context.store().root(), k -> new LanguageSuite(
                new LanguageTrack(LanguageTrackConfig.forProfile(context.profile()), context.store(),
                        TextDataLocation.preparedRoot(), TextCorpora.DOMAINS)));
    }
}
