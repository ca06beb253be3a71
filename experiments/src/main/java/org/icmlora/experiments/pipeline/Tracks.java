package org.icmlora.experiments.pipeline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.icmlora.experiments.KitConfig;
import org.icmlora.experiments.RunContext;
import org.icmlora.tracks.Track;
import org.icmlora.tracks.detection.DetectionTrack;
import org.icmlora.tracks.language.LanguageTrack;

/**
 * The run's tracks, opened once per JVM for each configuration and store and shared by every experiment (opening the
 * detection track loads the MiniLM encoder and the Fashion-MNIST images).
 */
public final class Tracks {

    /** The track ids, in the paper's order. */
    public static final List<String> IDS = List.of("detection", "language");

    private static final Map<List<Object>, Track> OPEN = new HashMap<>();

    private Tracks() {}

    /** The detection track of {@code context}. */
    public static DetectionTrack detection(RunContext context) {
        return (DetectionTrack) of(context, "detection");
    }

    /** The language track of {@code context}. */
    public static LanguageTrack language(RunContext context) {
        return (LanguageTrack) of(context, "language");
    }

    /** The track {@code id} ("detection" or "language") of {@code context}. */
    public static synchronized Track of(RunContext context, String id) {
        KitConfig config = context.config();
        Object section = switch (id) {
            case "detection" -> config.detection();
            case "language" -> config.language();
            default -> throw new IllegalArgumentException("no track '" + id + "'; the tracks are " + IDS);
        };
        List<Object> identity = List.of(id, section, config.lora(), config.run(), context.store().root());
        return OPEN.computeIfAbsent(identity, k -> id.equals("detection")
                ? DetectionTrack.open(config.detection(), config.lora(), config.run().baseSeed(), config.run().seed(),
                        context.store())
                : LanguageTrack.open(config.language(), config.lora(), config.run().baseSeed(), config.run().seed(),
                        context.store()));
    }
}
