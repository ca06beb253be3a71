package org.icmlora.experiments;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.KitPaths;
import org.icmlora.engine.Profile;
import org.icmlora.store.ArtifactStore;
import org.icmlora.train.Progress;

/**
 * The kit's command line.
 *
 * <pre>
 *   run (ID... | all) [--profile smoke|quick|full] [--seed N] [--seeds N] [--set KEY=VALUE]...
 *                                                               run experiments, write reports/results and summary;
 *                                                               --set changes any key of the profile file
 *   list                                                        the experiments and what they replay
 *   cache                                                       the cached stage outputs, with sizes
 *   clean STAGE                                                 forget one stage's outputs (they are recomputed)
 *   readme-tables [--profile P]                                 README's results section from results/<P>/
 * </pre>
 * Exit status 0 on success, 1 when an experiment fails, 2 on a usage error.
 */
public final class Cli {

    private final PrintStream out;

    /** A command line that prints to {@code out}. */
    public Cli(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new Cli(System.out).execute(args));
    }

    /** Runs one command line; returns the exit status. */
    public int execute(String... args) {
        if (args.length == 0) {
            return usage("no command given");
        }
        try {
            return switch (args[0]) {
                case "run" -> run(List.of(args).subList(1, args.length));
                case "list" -> list();
                case "cache" -> cache();
                case "readme-tables" -> readmeTables(List.of(args).subList(1, args.length));
                case "clean" -> args.length == 2 ? clean(args[1]) : usage("clean takes one stage name");
                case "help", "--help", "-h" -> usage(null);
                default -> usage("unknown command '" + args[0] + "'");
            };
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
    }

    private int run(List<String> args) {
        Profile profile = Profile.fromEnvironment();
        List<String> overrides = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--profile" -> profile = Profile.parse(valueAfter(args, i++));
                case "--seed" -> overrides.add("run.seed=" + valueAfter(args, i++));
                case "--seeds" -> overrides.add("run.seeds=" + valueAfter(args, i++));
                case "--set" -> overrides.add(valueAfter(args, i++));
                default -> ids.add(args.get(i));
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("run needs experiment ids or 'all'");
        }
        RunContext context = RunContext.of(profile, overrides, ArtifactStore.atDefaultLocation(), KitPaths.reports());
        List<Experiment> chosen = ids.equals(List.of("all")) ? Experiments.all() : ids.stream().map(Experiments::byId)
                .toList();
        out.println("icmlora: " + chosen.size() + " experiment(s), profile " + context.profile().id() + ", seed "
                + context.seed() + ", " + KitEngine.describe()
                + (context.settings().overriddenKeys().isEmpty() ? "" : ", changed: " + context.settings()
                        .overriddenKeys().stream().map(k -> k + "=" + context.settings().effective().get(k)).toList()));
        int failures = 0;
        for (Experiment experiment : chosen) {
            long start = System.nanoTime();
            try {
                ExperimentResult result = experiment.run(context).took((System.nanoTime() - start) / 1e9);
                result.write(context.resultsDir(experiment.id()));
                out.println("  " + experiment.id() + ": done in " + Progress.format(result.seconds()));
            } catch (RuntimeException e) {
                failures++;
                out.println("  " + experiment.id() + ": FAILED after "
                        + Progress.format((System.nanoTime() - start) / 1e9) + ": " + e);
                e.printStackTrace(out);
            }
        }
        SummaryPage.write(context);
        return failures == 0 ? 0 : 1;
    }

    private int list() {
        for (Experiment experiment : Experiments.all()) {
            out.printf(Locale.ROOT, "%-10s %s%n", experiment.id(), experiment.title());
        }
        return 0;
    }

    private int cache() {
        ArtifactStore store = ArtifactStore.atDefaultLocation();
        out.println("artifact store: " + store.root());
        long total = 0;
        for (ArtifactStore.StoredArtifact artifact : store.list()) {
            out.printf(Locale.ROOT, "%-40s %12d bytes  %s%n", artifact.key(), artifact.bytes(), artifact.created());
            total += artifact.bytes();
        }
        out.printf(Locale.ROOT, "%d outputs, %d bytes%n", store.list().size(), total);
        return 0;
    }

    private int clean(String stage) {
        int removed = ArtifactStore.atDefaultLocation().clean(stage);
        out.println("removed " + removed + " output(s) of stage " + stage);
        return 0;
    }

    /** Rewrites README's results section from {@code results/<profile>/} (default quick). */
    private int readmeTables(List<String> args) {
        Profile profile = Profile.QUICK;
        for (int i = 0; i < args.size(); i++) {
            if (!args.get(i).equals("--profile")) {
                throw new IllegalArgumentException("readme-tables takes only --profile, got '" + args.get(i) + "'");
            }
            profile = Profile.parse(valueAfter(args, i++));
        }
        Path results = KitPaths.root().resolve("results").resolve(profile.id());
        if (!Files.isDirectory(results)) {
            throw new IllegalArgumentException("there are no committed results in " + results + "; run the reproduce"
                    + " command at the " + profile.id() + " profile first");
        }
        Path readme = KitPaths.root().resolve("README.md");
        ReadmeTables.updateFile(readme, results);
        out.println("README.md: results section rewritten from " + results);
        return 0;
    }

    private int usage(String problem) {
        if (problem != null) {
            out.println("icmlora: " + problem);
        }
        out.println("usage: run (ID...|all) [--profile smoke|quick|full] [--seed N] [--seeds N] [--set KEY=VALUE]...");
        out.println("       list | cache | clean STAGE | readme-tables [--profile quick]");
        out.println("experiments: " + Experiments.all().stream().map(Experiment::id).toList());
        return problem == null ? 0 : 2;
    }

    private static String valueAfter(List<String> args, int i) {
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(args.get(i) + " needs a value");
        }
        return args.get(i + 1);
    }
}
