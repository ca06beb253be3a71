package org.icmlora.experiments;

import java.nio.file.Path;
import org.icmlora.engine.KitPaths;
import org.icmlora.engine.Profile;
import org.icmlora.store.ArtifactStore;

/**
 * What every experiment runs with: the profile (sizes and epochs), the seed, the artifact store that caches the
 * pipeline's stages across experiments, and the folder that receives the experiment's CSV and JSON results.
 */
public record RunContext(Profile profile, long seed, ArtifactStore store, Path reportsDir) {

    /** The profile and seed from {@code ICMLORA_PROFILE} / {@code ICMLORA_SEED}, the default store and
     * reports folder ({@link KitPaths}). */
    public static RunContext fromEnvironment() {
        String seed = System.getProperty("ICMLORA_SEED", System.getenv("ICMLORA_SEED"));
        return new RunContext(Profile.fromEnvironment(), seed == null || seed.isBlank() ? 2024 : parseSeed(seed),
                ArtifactStore.atDefaultLocation(), KitPaths.reports());
    }

    /** The same context with another profile. */
    public RunContext withProfile(Profile other) {
        return new RunContext(other, seed, store, reportsDir);
    }

    /** The same context with another seed. */
    public RunContext withSeed(long other) {
        return new RunContext(profile, other, store, reportsDir);
    }

    /** Where one experiment's result files go: {@code reports/results/<profile>/<experiment>/}. */
    public Path resultsDir(String experimentId) {
        return reportsDir.resolve("results").resolve(profile.id()).resolve(experimentId);
    }

    static long parseSeed(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ICMLORA_SEED must be a whole number, got '" + text + "'", e);
        }
    }
}
