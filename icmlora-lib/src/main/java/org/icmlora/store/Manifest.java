package org.icmlora.store;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The {@code manifest.json} of a complete output: every file with its size and SHA-256, the output's content hash (a
 * hash of that list, the same for the same bytes whenever they were made), the configuration and computation
 * settings its key covers, and the content hash of each input as it was when the output was made.
 *
 * <p>A manifest that is missing, empty, not JSON, lacks a field or does not match its own content hash is reported
 * like any other damaged file: {@link CorruptArtifactException} naming it.
 *
 * @param stage   the stage name
 * @param key     the key hash
 * @param content the hash of {@code files}: equal for equal bytes
 * @param inputs  each input's key ({@code stage/hash}) and its content hash when this output was made (null: the
 *                input was not present then, so the producer did not read it)
 * @param created when the output was completed (ISO-8601), "?" for manifests written before it was recorded
 * @param seconds the wall-clock seconds the output took to compute; NaN for manifests written before it was recorded
 * @param files   every file's path below the output directory, with size and SHA-256
 */
record Manifest(String stage, String key, String content, Map<String, String> inputs, String created, double seconds,
        SortedMap<String, FileEntry> files) {

    static final String FILE = "manifest.json";
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues()
            .serializeNulls().setPrettyPrinting().create();

    /** One file of an output as recorded when it was written. */
    record FileEntry(long bytes, String sha256) {}

    /** Total bytes of the listed files. */
    long bytes() {
        return files.values().stream().mapToLong(FileEntry::bytes).sum();
    }

    /**
     * Lists every file under {@code dir} and writes the manifest there (last, atomically).
     *
     * @param config      the stage's configuration, recorded as given
     * @param computation the computation settings the key covers
     * @param inputs      each input key with its content hash (null: absent)
     */
    static Manifest write(Path dir, StageKey key, Object config, Map<String, Object> computation,
            Map<String, String> inputs, double seconds) throws IOException {
        SortedMap<String, FileEntry> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(file).toString().replace('\\', '/'),
                        new FileEntry(DiskUsage.bytes(file), AtomicFiles.sha256(file)));
            }
        }
        Manifest manifest = new Manifest(key.stage(), key.hash(), contentOf(files), inputs, Instant.now().toString(),
                Math.round(seconds * 1000) / 1000.0, files);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("stage", manifest.stage);
        json.put("key", manifest.key);
        json.put("content", manifest.content);
        json.put("created", manifest.created);
        json.put("seconds", manifest.seconds);
        json.put("config", config);
        json.put("computation", computation);
        json.put("inputs", inputs);
        json.put("files", files);
        AtomicFiles.writeString(dir.resolve(FILE), GSON.toJson(json));
        return manifest;
    }

    /** Reads the manifest of the output in {@code dir}; a damaged one is a {@link CorruptArtifactException}. */
    static Manifest read(Path dir) {
        Path file = dir.resolve(FILE);
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CorruptArtifactException(file, "is missing");
        } catch (IOException e) {
            throw new CorruptArtifactException(file, "cannot be read (" + e.getMessage() + ")");
        }
        if (text.isBlank()) {
            throw new CorruptArtifactException(file, "is empty");
        }
        try {
            JsonElement parsed = GSON.fromJson(text, JsonElement.class);
            if (parsed == null || !parsed.isJsonObject()) {
                throw new CorruptArtifactException(file, "is not a JSON object");
            }
            JsonObject json = parsed.getAsJsonObject();
            for (String member : List.of("stage", "key", "files")) {
                if (!json.has(member)) {
                    throw new CorruptArtifactException(file, "lacks the field '" + member + "'");
                }
            }
            SortedMap<String, FileEntry> files = new TreeMap<>();
            for (var entry : json.getAsJsonObject("files").entrySet()) {
                JsonObject value = entry.getValue().getAsJsonObject();
                files.put(entry.getKey(), new FileEntry(value.get("bytes").getAsLong(),
                        value.get("sha256").getAsString()));
            }
            String content = contentOf(files);
            if (json.has("content") && !json.get("content").getAsString().equals(content)) {
                throw new CorruptArtifactException(file, "lists files that do not match the content hash it records");
            }
            Map<String, String> inputs = new LinkedHashMap<>();
            if (json.has("inputs")) {
                for (var entry : json.getAsJsonObject("inputs").entrySet()) {
                    StageKey.parse(entry.getKey());
                    JsonElement value = entry.getValue();
                    inputs.put(entry.getKey(), value.isJsonNull() ? null : value.getAsString());
                }
            }
            String created = json.has("created") ? json.get("created").getAsString() : "?";
            double seconds = json.has("seconds") ? json.get("seconds").getAsDouble() : Double.NaN;
            return new Manifest(json.get("stage").getAsString(), json.get("key").getAsString(), content, inputs,
                    created, seconds, files);
        } catch (CorruptArtifactException e) {
            throw e;
        } catch (JsonParseException e) {
            throw new CorruptArtifactException(file, "is not valid JSON");
        } catch (RuntimeException e) { // a member of the wrong type or missing in a file entry, a bad input key
            throw new CorruptArtifactException(file, "is not a well-formed manifest (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    /** The content hash of a file list: the SHA-256 of its lines {@code path size sha256}, in path order. */
    static String contentOf(SortedMap<String, FileEntry> files) {
        StringBuilder listing = new StringBuilder();
        files.forEach((name, entry) -> listing.append(name).append(' ').append(entry.bytes()).append(' ')
                .append(entry.sha256()).append('\n'));
        return AtomicFiles.sha256(listing.toString());
    }
}
