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

    /** Environment variable or system property that sets the seed. */
    public static final String SEED_SETTING = "ICMLORA_SEED";
    /** The seed when none is given. */
    public static final long DEFAULT_SEED = 2024;

    /** The profile and seed from {@code ICMLORA_PROFILE} / {@code ICMLORA_SEED}, the default store and
     * reports folder ({@link KitPaths}). */
    public static RunContext fromEnvironment() {
        return fromOptions(null, null);
    }

    /**
     * The context of a command line that gave {@code profile} ({@code --profile}) and {@code seed} ({@code --seed}),
     * each null when not given. A given option wins over its environment variable, which is then not even read, so
     * a bad variable cannot stop a run that overrides it; an error names the option or variable it came from.
     */
    public static RunContext fromOptions(String profile, String seed) {
        Profile chosenProfile = profile != null ? Profile.parse(profile, "--profile") : Profile.fromEnvironment();
        long chosenSeed;
        if (seed != null) {
            chosenSeed = parseSeed(seed, "--seed");
        } else {
            String fromEnvironment = System.getProperty(SEED_SETTING, System.getenv(SEED_SETTING));
            chosenSeed = fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_SEED
                    : parseSeed(fromEnvironment, SEED_SETTING);
        }
        return new RunContext(chosenProfile, chosenSeed, ArtifactStore.atDefaultLocation(), KitPaths.reports());
    }

    /** Where the results of this context's profile go, one folder per seed: {@code reports/results/<profile>/}. */
    public Path resultsRoot() {
        return reportsDir.resolve("results").resolve(profile.id());
    }

    /**
     * Where one experiment's result files go: {@code reports/results/<profile>/seed-<seed>/<experiment>/}, so runs
     * with other seeds never overwrite each other.
     */
    public Path resultsDir(String experimentId) {
        return resultsRoot().resolve("seed-" + seed).resolve(experimentId);
    }

    private static long parseSeed(String text, String source) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + " must be a whole number, got '" + text + "'", e);
        }
    }
}
