package org.icmlora.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.icmlora.store.AtomicFiles;

/**
 * Every file of an artifact cache or results folder by path, with its SHA-256: two runs that computed the same bytes
 * have equal snapshots. Left out: the stages' lock files (empty, kept on purpose), {@code result.json} and
 * {@code timing.json} (they hold times); a manifest counts by its presence only (it holds creation times; the files it
 * lists are compared). A work or staging directory left behind shows up as extra entries, an output without manifest
 * as a missing one.
 */
final class CacheSnapshot {

    private CacheSnapshot() {}

    static Map<String, String> of(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.exists(root)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (!name.equals(".lock") && !name.equals("result.json") && !name.equals("timing.json")) {
                    files.put(root.relativize(file).toString(), name.equals("manifest.json") ? "present"
                            : AtomicFiles.sha256(file));
                }
            }
        }
        try (Stream<Path> walk = Files.walk(root)) { // empty directories count too: a leftover staging directory
            walk.filter(Files::isDirectory).filter(CacheSnapshot::isEmpty)
                    .forEach(dir -> files.put(root.relativize(dir) + "/", "empty directory"));
        }
        return files;
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
