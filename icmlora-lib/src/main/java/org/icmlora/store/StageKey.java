package org.icmlora.store;

/**
 * Names one stage output: the stage (for example {@code "lm-lora-series"}) and a hash of everything the output
 * depends on (its configuration and the keys of its inputs). Two runs with the same key produce the same output, so
 * the second one reuses the first's.
 */
public record StageKey(String stage, String hash) {

    public StageKey {
        if (!stage.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("stage names are lower-case words joined by '-', got '" + stage + "'");
        }
    }

    /** {@code stage/hash}: the path of the output below the store root, and how logs name it. */
    @Override
    public String toString() {
        return stage + "/" + hash;
    }
}
