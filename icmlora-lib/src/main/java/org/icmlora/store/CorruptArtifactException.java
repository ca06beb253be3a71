package org.icmlora.store;

import java.nio.file.Path;

/** A stored file is missing, truncated or altered: it no longer matches the checksum recorded when it was written. */
public class CorruptArtifactException extends RuntimeException {

    private final transient Path file;

    public CorruptArtifactException(Path file, String problem) {
        super(file + ": " + problem + ". Delete it (or run the CLI's clean for its stage) and rerun to recompute it.");
        this.file = file;
    }

    /** The file that failed the check. */
    public Path file() {
        return file;
    }
}
