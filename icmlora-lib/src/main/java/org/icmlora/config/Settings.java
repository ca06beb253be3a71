package org.icmlora.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A run's configuration as text: dotted keys with values ({@code cvae.depth = 8}), read from a profile file and
 * changed by overrides ({@code --set cvae.depth=12}). Every value remembers where it came from, so an error can name
 * the file and line or the override; {@link ConfigBinder} turns sections of it into the kit's configuration records.
 *
 * <p>File format, one setting per line: {@code key = value}; {@code #} starts a comment; blank lines are ignored.
 * Keys are the record components' names joined by dots ({@code detection.scenes.size}); lists are comma-separated.
 * An override must name a key the file has (a profile file sets every key), so a typo is an error that lists the
 * valid keys instead of a setting that silently does nothing.
 */
public final class Settings {

    /** One value and where it came from ("quick.conf:12" or "--set"). */
    record Value(String text, String source) {}

    private final String name;
    private final Map<String, Value> values;
    private final List<String> overridden;
    private final Set<String> read = Collections.synchronizedSet(new LinkedHashSet<>());

    private Settings(String name, Map<String, Value> values, List<String> overridden) {
        this.name = name;
        this.values = values;
        this.overridden = overridden;
    }

    /** Reads a settings file. */
    public static Settings read(Path file) {
        try {
            return parse(file.getFileName().toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the configuration " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses settings text; {@code name} names it in errors. */
    public static Settings parse(String name, String text) {
        Map<String, Value> values = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = name + ":" + (i + 1);
            int equals = line.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException(where + ": expected 'key = value', got '" + line + "'");
            }
            String key = line.substring(0, equals).strip();
            requireKeySyntax(key, where);
            if (values.containsKey(key)) {
                throw new IllegalArgumentException(where + ": " + key + " is set twice (first at "
                        + values.get(key).source() + ")");
            }
            values.put(key, new Value(line.substring(equals + 1).strip(), where));
        }
        return new Settings(name, values, new ArrayList<>());
    }

    /**
     * The same settings with {@code key} set to {@code value}, told by {@code source} (e.g. "--set" or
     * "ICMLORA_SEED"). Fails with the list of valid keys when the file has no such key.
     */
    public Settings with(String key, String value, String source) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException(source + " " + key + "=" + value + ": " + name + " has no key '" + key
                    + "'" + suggestion(key) + "; " + validKeysNear(key));
        }
        Map<String, Value> changed = new LinkedHashMap<>(values);
        changed.put(key, new Value(value.strip(), source + " " + key + "=" + value));
        List<String> overrides = new ArrayList<>(overridden);
        overrides.remove(key);
        overrides.add(key);
        return new Settings(name, changed, overrides);
    }

    /**
     * The same settings with every {@code key=value} of {@code assignments} applied in order, as {@code --set} gives
     * them.
     */
    public Settings withAll(List<String> assignments, String source) {
        Settings result = this;
        for (String assignment : assignments) {
            int equals = assignment.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException(source + " " + assignment + ": expected key=value");
            }
            result = result.with(assignment.substring(0, equals).strip(), assignment.substring(equals + 1), source);
        }
        return result;
    }

    /** Where these settings came from (the file's name). */
    public String name() {
        return name;
    }

    /** Every key, in file order. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** The keys that overrides changed, in the order they were last set. */
    public List<String> overriddenKeys() {
        return List.copyOf(overridden);
    }

    /** Every key with its value, sorted by key: the effective configuration, as results record it. */
    public Map<String, String> effective() {
        Map<String, String> effective = new TreeMap<>();
        values.forEach((key, value) -> effective.put(key, value.text()));
        return effective;
    }

    /** The value of {@code key}; fails naming the file when it has none. */
    Value value(String key, String neededBy) {
        Value value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException(name + " has no key '" + key + "' (" + neededBy + "); add it, e.g. "
                    + "by copying the line from another profile file");
        }
        read.add(key);
        return value;
    }

    /** The keys no binding read: in a complete binding, each is a key the kit does not know. */
    public List<String> unread() {
        return values.keySet().stream().filter(k -> !read.contains(k)).toList();
    }

    /** The valid keys of {@code key}'s section, or the sections when it names none. */
    private String validKeysNear(String key) {
        String section = key.contains(".") ? key.substring(0, key.indexOf('.') + 1) : key + ".";
        List<String> sameSection = values.keySet().stream().filter(k -> k.startsWith(section)).toList();
        if (!sameSection.isEmpty()) {
            return "valid keys: " + String.join(", ", sameSection) + " (every key: " + name + ")";
        }
        return "the sections are " + values.keySet().stream().map(k -> k.contains(".") ? k.substring(0,
                k.indexOf('.')) : k).distinct().toList() + " (every key: " + name + ")";
    }

    /** The key that differs least from {@code key}, as " (did you mean X?)", or "". */
    private String suggestion(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : values.keySet()) {
            int d = editDistance(key, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 4) ? " (did you mean " + best + "?)" : "";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    private static void requireKeySyntax(String key, String where) {
        if (!key.matches("[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)*")) {
            throw new IllegalArgumentException(where + ": '" + key + "' is not a key (words joined by dots)");
        }
    }
}
