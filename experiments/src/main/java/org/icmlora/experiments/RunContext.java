package org.icmlora.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.icmlora.config.Settings;
import org.icmlora.engine.KitPaths;
import org.icmlora.engine.Profile;
import org.icmlora.engine.Seeds;
import org.icmlora.stats.Bootstrap;
import org.icmlora.store.ArtifactStore;

/**
 * What every experiment runs with: the profile and its effective configuration (the profile file plus overrides),
 * the artifact store that caches the pipeline's stages across experiments, and the folder that receives results.
 *
 * <p>In a notebook: {@code RunContext.fromEnvironment().with("lora.rank", "4")} runs the next experiment at rank 4.
 *
 * @param profile    sizes and epochs
 * @param settings   the effective settings (for result files)
 * @param config     the same, bound to the kit's configuration records
 * @param store      the artifact cache
 * @param reportsDir where results go
 */
public record RunContext(Profile profile, Settings settings, KitConfig config, ArtifactStore store, Path reportsDir) {

    /** Environment variable or system property that overrides {@code run.seed}. */
    public static final String SEED_SETTING = "ICMLORA_SEED";

    /**
     * The profile of {@code ICMLORA_PROFILE} (default quick) with {@code ICMLORA_SEED} applied, the default store and
     * reports folder ({@link KitPaths}).
     */
    public static RunContext fromEnvironment() {
        return of(Profile.fromEnvironment(), List.of(), ArtifactStore.atDefaultLocation(), KitPaths.reports());
    }

    /** The profile's file with {@code ICMLORA_SEED}, then {@code overrides} ({@code key=value}), applied. */
    public static RunContext of(Profile profile, List<String> overrides, ArtifactStore store, Path reportsDir) {
        return build(profile, System.getProperty(SEED_SETTING, System.getenv(SEED_SETTING)), SEED_SETTING, overrides,
                store, reportsDir);
    }

    /**
     * The context of a command line that gave {@code profile} ({@code --profile}) and {@code seed} ({@code --seed}),
     * each null when not given, and {@code overrides} ({@code --set key=value}), with the default store and reports
     * folder. A given option wins over its environment variable ({@code ICMLORA_PROFILE}, {@code ICMLORA_SEED}), which
     * is then not even read, so a bad variable cannot stop a run that overrides it; an error names the option or
     * variable the bad value came from.
     */
    public static RunContext fromCommandLine(String profile, String seed, List<String> overrides) {
        Profile chosen = profile != null ? Profile.parse(profile, "--profile") : Profile.fromEnvironment();
        return seed != null
                ? build(chosen, seed, "--seed", overrides, ArtifactStore.atDefaultLocation(), KitPaths.reports())
                : of(chosen, overrides, ArtifactStore.atDefaultLocation(), KitPaths.reports());
    }

    private static RunContext build(Profile profile, String seed, String seedSource, List<String> overrides,
            ArtifactStore store, Path reportsDir) {
        Settings settings = Settings.read(KitConfig.profileFile(profile));
        if (seed != null && !seed.isBlank()) {
            settings = settings.with("run.seed", seed.trim(), seedSource);
        }
        settings = settings.withAll(overrides, "--set");
        return new RunContext(profile, settings, KitConfig.of(settings), store, reportsDir);
    }

    /** The same context with {@code key} set to {@code value} (as {@code --set key=value} does). */
    public RunContext with(String key, String value) {
        Settings changed = settings.with(key, value, "--set");
        return new RunContext(profile, changed, KitConfig.of(changed), store, reportsDir);
    }

    /** The same overrides at another profile. */
    public RunContext withProfile(Profile other) {
        List<String> overrides = new ArrayList<>();
        settings.overriddenKeys().forEach(key -> overrides.add(key + "=" + settings.effective().get(key)));
        return of(other, overrides, store, reportsDir);
    }

    /** The same context with another run seed. */
    public RunContext withSeed(long seed) {
        return with("run.seed", Long.toString(seed));
    }

    /** The run seed. */
    public long seed() {
        return config.run().seed();
    }

    /**
     * One context per seed of the run ({@code run.seeds} of them: the run seed and the next ones), for experiments
     * that report a mean and spread over seeds.
     */
    public List<RunContext> perSeed() {
        List<RunContext> contexts = new ArrayList<>();
        for (int i = 0; i < config.run().seeds(); i++) {
            contexts.add(i == 0 ? this : withSeed(seed() + i));
        }
        return contexts;
    }

    /** The bootstrap of this run's intervals ({@code stats.*}), seeded from the run seed. */
    public Bootstrap bootstrap() {
        return new Bootstrap(config.stats().resamples(), config.stats().level(), Seeds.derive(seed(), "bootstrap"));
    }

    /** Where the results of this context's profile go, one folder per seed: {@code reports/results/<profile>/}. */
    public Path resultsRoot() {
        return reportsDir.resolve("results").resolve(profile.id());
    }

    /**
     * Where this run's results go: {@code reports/results/<profile>/seed-<seed>/}, or {@code seeds-<first>-<last>/} for
     * a run over several seeds, so runs with other seeds never overwrite each other.
     */
    public Path runDir() {
        int seeds = config.run().seeds();
        return resultsRoot().resolve(seeds == 1 ? "seed-" + seed() : "seeds-" + seed() + "-" + (seed() + seeds - 1));
    }

    /** Where one experiment's result files go: {@code <experiment>/} in {@link #runDir()}. */
    public Path resultsDir(String experimentId) {
        return runDir().resolve(experimentId);
    }
}
