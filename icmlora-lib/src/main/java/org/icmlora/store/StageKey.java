package org.icmlora.store;

import java.util.List;
import java.util.Objects;

/**
 * Names one stage output: the stage (for example {@code "lm-lora-series"}) and a hash of everything the output
 * depends on (its configuration, the keys of its inputs, the computation settings). Two runs with the same key produce
 * the same output, so the second one reuses the first's.
 *
 * <p>A key made by {@link ArtifactStore#key} also carries the keys of its {@code inputs}: the store records their
 * content when it writes the output, and no longer reuses the output once an input's content changed. Keys are equal
 * when stage and hash are: the hash already covers the inputs.
 */
public record StageKey(String stage, String hash, List<StageKey> inputs) {

    public StageKey {
        if (!stage.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("stage names are lower-case words joined by '-', got '" + stage + "'");
        }
        if (!hash.matches("[0-9a-f]+")) {
            throw new IllegalArgumentException("a stage key's hash is lower-case hex, got '" + hash + "'");
        }
        inputs = List.copyOf(inputs);
    }

    /** A key without known inputs, as read back from a directory name or a manifest. */
    public StageKey(String stage, String hash) {
        this(stage, hash, List.of());
    }

    /** The key written as {@code stage/hash}, e.g. in a manifest's inputs. */
    public static StageKey parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("a stage key reads 'stage/hash', got '" + text + "'");
        }
        return new StageKey(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StageKey key && key.stage.equals(stage) && key.hash.equals(hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stage, hash);
    }

    /** {@code stage/hash}: the path of the output below the store root, and how logs name it. */
    @Override
    public String toString() {
        return stage + "/" + hash;
    }
}
