package org.icmlora.engine;

import java.util.StringJoiner;

/**
 * Environment variables the kit records beside its figures and outputs (OpenMP's thread settings, glibc's allocator
 * settings), as this process saw them: a reader compares times and results only between runs with the same values.
 */
public final class EnvironmentVariables {

    private EnvironmentVariables() {}

    /** The variable's value, trimmed, or "unset" when it is absent or blank (the library's default then applies). */
    public static String valueOrUnset(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? "unset" : value.trim();
    }

    /** {@code NAME=value} for each name, in the order given, joined by ", ", with {@link #valueOrUnset}'s values. */
    public static String describe(String... names) {
        StringJoiner text = new StringJoiner(", ");
        for (String name : names) {
            text.add(name + "=" + valueOrUnset(name));
        }
        return text.toString();
    }
}
