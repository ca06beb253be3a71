package org.icmlora.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the kit's folders are, so that the CLI, the tests and notebooks (whose working directory is
 * {@code notebooks/}) agree: the checkout root ({@code ICMLORA_HOME}, else the nearest folder above the working
 * directory that holds {@code icmlora-lib/} and {@code pom.xml}), its {@code datasets/}, {@code reports/}, the
 * artifact cache {@code .cache/artifacts} ({@code ICMLORA_CACHE} moves it) and {@code .cache/native} for native
 * libraries unpacked from jars. A relative {@code ICMLORA_REPORTS} or {@code ICMLORA_CACHE} is resolved against the
 * working directory of the program that reads it (the command line no longer changes it).
 */
public final class KitPaths {

    private KitPaths() {}

    /** The checkout root; fails with advice when the working directory is outside a checkout. */
    public static Path root() {
        String configured = setting("ICMLORA_HOME");
        if (configured != null) {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("icmlora-lib")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the icmlora checkout above " + Paths.get("").toAbsolutePath()
                + "; run from inside it or set ICMLORA_HOME to its root");
    }

    /** {@code datasets/} of the checkout: manifests in git, raw and prepared data git-ignored. */
    public static Path datasets() {
        return root().resolve("datasets");
    }

    /** {@code reports/} ({@code ICMLORA_REPORTS} moves it): executed notebooks, results, the index page. */
    public static Path reports() {
        String configured = setting("ICMLORA_REPORTS");
        return configured != null ? Paths.get(configured).toAbsolutePath() : root().resolve("reports");
    }

    /** The artifact cache: {@code ICMLORA_CACHE}, else {@code .cache/artifacts} in the checkout. */
    public static Path cache() {
        String configured = setting("ICMLORA_CACHE");
        return configured != null ? Paths.get(configured).toAbsolutePath() : root().resolve(".cache").resolve("artifacts");
    }

    /** {@code .cache/native} in the checkout: native libraries unpacked once from their jars, shared by every JVM. */
    public static Path nativeLibraries() {
        return root().resolve(".cache").resolve("native");
    }

    private static String setting(String name) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? null : value.trim();
    }
}
