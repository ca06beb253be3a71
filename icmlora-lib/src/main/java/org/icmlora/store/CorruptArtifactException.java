package org.icmlora.store;

import java.nio.file.Path;

/**
 * A stored file is missing, truncated, altered or unreadable: it no longer matches what was recorded when it was
 * written. The message names the file, the problem and the command that recovers: {@value #REPAIR}.
 */
public class CorruptArtifactException extends RuntimeException {

    /** The advice every message ends with: a command that removes damaged outputs, so the next run recomputes them. */
    public static final String REPAIR = "run 'bash environment/icmlora.sh repair' to remove the damaged outputs and"
            + " those made from them; the next run recomputes them";

    private final transient Path file;
    private final String problem;

    /** {@code file} has {@code problem}, a phrase such as "is missing" or "has 5 bytes, 10 were written". */
    public CorruptArtifactException(Path file, String problem) {
        super(file + ": " + problem + "; " + REPAIR + ".");
        this.file = file;
        this.problem = problem;
    }

    /** The file that failed the check. */
    public Path file() {
        return file;
    }

    /** What is wrong with it, without the file name and the advice. */
    public String problem() {
        return problem;
    }
}
