package org.icmlora.data.text;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the prepared text corpora live: {@code ICMLORA_TEXT_DATA} (system property or environment) when set, else
 * {@code datasets/prepared/text} in the kit's checkout, found by walking up from the working directory to the folder
 * that holds {@code icmlora-lib} and {@code pom.xml} (so notebooks and tests in sub-folders find it too).
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
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("icmlora-lib")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir.resolve("datasets").resolve("prepared").resolve("text");
            }
        }
        throw new IllegalStateException("cannot find the kit checkout above " + Paths.get("").toAbsolutePath()
                + " to locate datasets/prepared/text; set " + SETTING + " to the prepared text folder");
    }
}
