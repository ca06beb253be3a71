package org.icmlora.config;

import java.nio.file.Path;
import org.icmlora.engine.KitPaths;

/** The kit's profile files ({@code experiments/profiles/<name>.conf}) for the library's tests. */
public final class Profiles {

    private Profiles() {}

    /** The settings of profile {@code name} ("smoke", "quick", "full"). */
    public static Settings settings(String name) {
        return Settings.read(file(name));
    }

    /** The section {@code section} of profile {@code name} as a {@code type}. */
    public static <R extends Record> R bind(String name, String section, Class<R> type) {
        return ConfigBinder.bind(settings(name), section, type);
    }

    static Path file(String name) {
        return KitPaths.root().resolve("experiments").resolve("profiles").resolve(name + ".conf");
    }
}
