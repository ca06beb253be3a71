package org.icmlora.data.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.icmlora.store.AtomicFiles;

/**
 * One installed source package under {@code datasets/raw/<id>/}, as {@code datasets/setup-text.sh} unpacked it:
 * the package's files plus a {@code SOURCE} file naming the package and its version. Readers get their bytes
 * through {@link #read}, which records every file used (path, bytes, SHA-256) for the corpus manifest.
 *
 * <p>The expected version is pinned: a package that is missing or has another version is an error that names the
 * script to run, never a silently different corpus.
 */
public final class RawPackage {

    /** Name of the file the set-up script writes next to an unpacked package: {@code "<name> <version>"}. */
    public static final String SOURCE_FILE = "SOURCE";

    private final String name;
    private final String version;
    private final Path dir;
    private final List<SourceFile> used = new ArrayList<>();

    /** A file of a package that went into a corpus. */
    public record SourceFile(String path, long bytes, String sha256) {}

    private RawPackage(String name, String version, Path dir) {
        this.name = name;
        this.version = version;
        this.dir = dir;
    }

    /**
     * Opens the package unpacked in {@code rawRoot/<id>}, checking that it is {@code name} at {@code expectedVersion}.
     */
    public static RawPackage open(Path rawRoot, String id, String name, String expectedVersion) {
        Path dir = rawRoot.resolve(id);
        Path source = dir.resolve(SOURCE_FILE);
        if (!Files.isRegularFile(source)) {
            throw new IllegalStateException("source package " + name + " is not unpacked in " + dir
                    + " (no " + SOURCE_FILE + " file); run datasets/setup-text.sh");
        }
        String[] parts;
        try {
            parts = Files.readString(source).strip().split("\\s+");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
        if (parts.length != 2 || !parts[0].equals(name)) {
            throw new IllegalStateException(source + " should read '" + name + " <version>', got '"
                    + String.join(" ", parts) + "'; delete " + dir + " and rerun datasets/setup-text.sh");
        }
        if (!parts[1].equals(expectedVersion)) {
            throw new IllegalStateException("source package " + name + " is version " + parts[1] + " but the corpus "
                    + "definition was made for " + expectedVersion + "; the source changed: review the new version and "
                    + "update the pin in " + TextCorpora.class.getSimpleName() + ", or install " + expectedVersion);
        }
        return new RawPackage(name, parts[1], dir);
    }

    /** Package name as its registry spells it. */
    public String name() {
        return name;
    }

    /** Package version. */
    public String version() {
        return version;
    }

    /** The bytes of {@code relative} (a path inside the package), recorded as used; a missing file is an error. */
    public byte[] read(String relative) {
        Path file = dir.resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("source package " + name + " " + version + " has no file " + relative
                    + " (looked in " + dir + "); the package layout changed or the unpacking was incomplete: delete "
                    + dir + " and rerun datasets/setup-text.sh");
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            used.add(new SourceFile(relative, bytes.length, AtomicFiles.sha256(file)));
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Paths (relative to the package, '/'-separated, sorted) of the regular files under {@code relativeDir} whose
     * name matches {@code regex}. An empty result is an error: a corpus never silently shrinks to nothing.
     */
    public List<String> list(String relativeDir, String regex) {
        Path base = dir.resolve(relativeDir);
        if (!Files.isDirectory(base)) {
            throw new IllegalStateException("source package " + name + " has no folder " + relativeDir + " in " + dir
                    + "; delete " + dir + " and rerun datasets/setup-text.sh");
        }
        try (Stream<Path> walk = Files.walk(base)) {
            List<String> found = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches(regex))
                    .map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted().toList();
            if (found.isEmpty()) {
                throw new IllegalStateException("source package " + name + " has no file matching " + regex + " under "
                        + relativeDir + "; the package layout changed");
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + base, e);
        }
    }

    /** Every file read so far, in reading order. */
    public List<SourceFile> used() {
        return List.copyOf(used);
    }
}
