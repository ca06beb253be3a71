package org.icmlora.data.text;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.icmlora.engine.KitPaths;

/**
 * Where the prepared text corpora live: {@code ICMLORA_TEXT_DATA} (system property or environment) when set, else
 * {@code datasets/prepared/text} in the kit's checkout ({@link KitPaths#datasets()}).
 */
public final class TextDataLocation {

    /** Setting that moves the prepared text corpora. */
    public static final String SETTING = "ICMLORA_TEXT_DATA";

    private TextDataLocation() {}

    /** The prepared-corpora root; an error when neither the setting nor a kit checkout is found. */
    public static Path preparedRoot() {
        String configured = System.getProperty(SETTING, System.getenv(SETTING));
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        return KitPaths.datasets().resolve("prepared").resolve("text");
    }
}
