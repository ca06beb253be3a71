package org.icmlora.engine;

import java.util.Locale;

/**
 * How big a run is. Profiles change sizes and epochs, never the code path.
 *
 * <ul>
 *   <li>{@link #SMOKE}: tests and CI, tiny models and data, seconds per experiment;</li>
 *   <li>{@link #QUICK}: every table and figure on a 2-core laptop CPU, reduced epochs and sizes;</li>
 *   <li>{@link #FULL}: the paper's hyper-parameters, meant for one GPU.</li>
 * </ul>
 */
public enum Profile {
    SMOKE,
    QUICK,
    FULL;

    /** Environment variable or system property that selects the profile. */
    public static final String SETTING = "ICMLORA_PROFILE";

    /** The profile named by {@code ICMLORA_PROFILE} (system property first, then environment), QUICK if unset. */
    public static Profile fromEnvironment() {
        String value = System.getProperty(SETTING, System.getenv(SETTING));
        return value == null || value.isBlank() ? QUICK : parse(value);
    }

    /** Parses a profile name, case-insensitively, with an error that lists the valid names. */
    public static Profile parse(String name) {
        return parse(name, SETTING);
    }

    /** Parses a profile name given by {@code source} (e.g. "--profile"), which the error names. */
    public static Profile parse(String name, String source) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    source + " must be one of smoke, quick, full; got '" + name + "'", e);
        }
    }

    /** Lower-case name as used on the command line and in report files. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
