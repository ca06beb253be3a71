package org.icmlora.experiments;

import java.nio.file.Path;
import java.util.List;
import org.icmlora.config.ConfigBinder;
import org.icmlora.config.Settings;
import org.icmlora.engine.KitPaths;
import org.icmlora.engine.Profile;
import org.icmlora.generate.core.CvaeConfig;
import org.icmlora.generate.core.PdiffConfig;
import org.icmlora.generate.core.SoupConfig;
import org.icmlora.lora.LoraSettings;
import org.icmlora.tracks.ConditionKind;
import org.icmlora.tracks.detection.DetectionConfig;
import org.icmlora.tracks.language.LanguageTrackConfig;

/**
 * The whole configuration of a run, one section per component, as the profile file
 * {@code experiments/profiles/<profile>.conf} sets it (key {@code <section>.<component>...}) and {@code --set}
 * overrides change it. A new experiment that needs settings adds its section here and its keys to the three files.
 *
 * @param run       the seeds
 * @param lora      ranks and the adapter rule, for both tracks
 * @param detection the detection track
 * @param language  the language track
 * @param cvae      ICM-LoRA's conditional VAE
 * @param pdiff     COND P-DIFF
 * @param soup      Model Soup
 * @param table5    the CVAE depth sweep of Table 5
 * @param stats     how differences get their intervals
 * @param controls  the controls experiment
 * @param heldout   the held-out experiment
 */
public record KitConfig(RunSettings run, LoraSettings lora, DetectionConfig detection, LanguageTrackConfig language,
        CvaeConfig cvae, PdiffConfig pdiff, SoupConfig soup, Table5Settings table5, StatsSettings stats,
        ControlsSettings controls, HeldOutSettings heldout) {

    /**
     * The seeds of a run.
     *
     * @param seed     every random choice after the base models derives from it: scenes, LoRA initialisation and
     *                 batch order, generators, sampling
     * @param baseSeed the base models' pretraining (their data, initialisation and batch order): shared by every run
     *                 seed, so seeds vary what the paper's method is about and not the model it adapts
     * @param seeds    how many seeds a table averages over: {@code seed, seed + 1, ..., seed + seeds - 1}
     */
    public record RunSettings(long seed, long baseSeed, int seeds) {
        public RunSettings {
            if (seeds < 1) {
                throw new IllegalArgumentException("run.seeds must be >= 1, got " + seeds);
            }
        }
    }

    /**
     * The paired bootstrap of every difference a table reports.
     *
     * @param resamples bootstrap replicates
     * @param level     the confidence level of the intervals
     */
    public record StatsSettings(int resamples, double level) {}

    /**
     * Table 5.
     *
     * @param depths     the CVAE depths (conv layers) swept
     * @param cvaeEpochs epochs of each CVAE of the sweep
     */
    public record Table5Settings(List<Integer> depths, int cvaeEpochs) {
        public Table5Settings {
            depths = List.copyOf(depths);
            if (depths.isEmpty() || cvaeEpochs < 1) {
                throw new IllegalArgumentException("table5 needs at least one depth and cvaeEpochs >= 1");
            }
        }
    }

    /**
     * The controls experiment ({@link ControlsExperiment}).
     *
     * @param tracks the tracks tested, in order ("detection", "language")
     * @param draws  draws of the latent per task and generator (at least 2: latent diversity needs pairs)
     */
    public record ControlsSettings(List<String> tracks, int draws) {
        public ControlsSettings {
            tracks = List.copyOf(tracks);
            if (tracks.isEmpty()) {
                throw new IllegalArgumentException("controls.tracks must name at least one track");
            }
            if (draws < 2) {
                throw new IllegalArgumentException("controls.draws must be >= 2 (distances between draws need pairs),"
                        + " got " + draws);
            }
        }
    }

    /**
     * The held-out experiment: which tasks are held out, in how many folds, and which conditions the generators read.
     *
     * @param detectionTasks the detection tasks held out in turn (table or extra categories), in fold order
     * @param languageTasks  the language tasks held out in turn (table or extra domains), in fold order
     * @param folds          k: held-out task i of a track is held out in fold i mod k, with the other tasks of its
     *                       fold; a track with fewer held-out tasks than k has one fold per task (leave-one-out)
     * @param conditions     the kinds of condition the generators and the nearest-task baseline read: only kinds that
     *                       exist before a task is fine-tuned (its description, the base model's hidden states)
     */
    public record HeldOutSettings(List<String> detectionTasks, List<String> languageTasks, int folds,
            List<ConditionKind> conditions) {
        public HeldOutSettings {
            detectionTasks = List.copyOf(detectionTasks);
            languageTasks = List.copyOf(languageTasks);
            conditions = List.copyOf(conditions);
            if (detectionTasks.isEmpty() || languageTasks.isEmpty() || folds < 2) {
                throw new IllegalArgumentException("heldout needs held-out tasks on both tracks and folds >= 2, got "
                        + detectionTasks + ", " + languageTasks + " and " + folds + " folds");
            }
            if (conditions.isEmpty() || conditions.stream().anyMatch(c -> c == ConditionKind.FINE_TUNED_STATES
                    || c == ConditionKind.FINE_TUNED_STATES_AND_DESCRIPTION)) {
                throw new IllegalArgumentException("heldout.conditions must be kinds that exist before fine-tuning"
                        + " (description, base-states), got " + conditions + ": a fine-tuned kind needs the held-out"
                        + " task's own adapter, the one to be generated");
            }
        }

        /** The held-out tasks of the track {@code track} ("detection" or "language"). */
        public List<String> tasks(String track) {
            return switch (track) {
                case "detection" -> detectionTasks;
                case "language" -> languageTasks;
                default -> throw new IllegalArgumentException("no held-out tasks for track '" + track + "'");
            };
        }
    }

    /** The profile file of {@code profile}. */
    public static Path profileFile(Profile profile) {
        return KitPaths.root().resolve("experiments").resolve("profiles").resolve(profile.id() + ".conf");
    }

    /** Binds every section of {@code settings}; a key no section reads is an error naming it. */
    public static KitConfig of(Settings settings) {
        KitConfig config = ConfigBinder.bind(settings, "", KitConfig.class);
        List<String> unknown = settings.unread();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(settings.name() + " sets keys the kit does not know: " + unknown
                    + "; remove them (or add the setting to the configuration record that should read it)");
        }
        return config;
    }
}
