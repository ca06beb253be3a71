package org.icmlora.experiments;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.KitPaths;
import org.icmlora.engine.Profile;
import org.icmlora.experiments.pipeline.GeneratorStage;
import org.icmlora.store.ArtifactStore;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.CorruptArtifactException;
import org.icmlora.store.DiskUsage;
import org.icmlora.store.StageKey;
import org.icmlora.store.StoreActivity;
import org.icmlora.train.Progress;

/**
 * The kit's command line.
 *
 * <pre>
 *   run (ID... | all) [--profile smoke|quick|full] [--seed N] [--seeds N] [--set KEY=VALUE]...
 *                                                               run experiments, write reports/results and summary;
 *                                                               --set changes any key of the profile file
 *   list                                                        the experiments and what they replay
 *   cache                                                       the cached stage outputs and leftovers, with sizes
 *   verify                                                      check every cached output; list the bad ones
 *   repair  (or: clean --bad)                                   remove the bad outputs and those made from them
 *   clean STAGE                                                 remove one stage's outputs and those made from them
 *   readme-tables [--profile P]                                 README's results section from results/<P>/
 *   --debug (anywhere)                                          debug log lines and stack traces on the console
 * </pre>
 * Options win over the environment variables (ICMLORA_PROFILE, ICMLORA_SEED). Results and progress go to standard
 * output; each failure is one sentence on standard error, its stack trace in a log file under {@code reports/logs/}
 * (on the console with {@code --debug}). Exit status 0 on success, 1 when an experiment fails or {@code verify} finds
 * a bad output, 2 on a usage error.
 */
public final class Cli {

    private static final String USAGE = "usage: icmlora.sh run (ID...|all) [--profile smoke|quick|full] [--seed N]"
            + " [--seeds N] [--set KEY=VALUE]...\n       icmlora.sh list | cache | verify | repair | clean STAGE|--bad"
            + " | readme-tables [--profile quick]      (any: --debug)";
    private static final String SCRIPT = "bash environment/icmlora.sh";
    /** The timing entry of the generator fits done ahead of the experiments. */
    static final String FIT_AHEAD = "generator fits ahead";

    private final PrintStream out;
    private final PrintStream err;
    private boolean debug;

    /** A command line that prints results to {@code out} and failures to {@code err}. */
    public Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--debug")) { // before the first logger exists
            System.setProperty("org.slf4j.simpleLogger.log.org.icmlora", "debug");
        }
        System.exit(new Cli(System.out, System.err).execute(args));
    }

    /** Runs one command line; returns the exit status. */
    public int execute(String... args) {
        List<String> words = new ArrayList<>(List.of(args));
        debug = words.remove("--debug");
        if (words.isEmpty()) {
            return usage("no command given");
        }
        String command = words.get(0);
        List<String> rest = words.subList(1, words.size());
        try {
            return switch (command) {
                case "run" -> run(rest);
                case "list" -> noArguments(command, rest) ? list() : 2;
                case "cache" -> noArguments(command, rest) ? cache() : 2;
                case "verify" -> noArguments(command, rest) ? verify() : 2;
                case "repair" -> noArguments(command, rest) ? repair() : 2;
                case "clean" -> clean(rest);
                case "readme-tables" -> readmeTables(rest);
                case "help", "--help", "-h" -> help();
                default -> usage("unknown command '" + command + "'");
            };
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (RuntimeException e) {
            err.println("icmlora: " + command + " failed: " + sentence(e));
            if (debug) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    private int run(List<String> args) {
        String profile = null;
        String seed = null;
        List<String> overrides = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--profile" -> profile = valueAfter(args, i++);
                case "--seed" -> seed = valueAfter(args, i++);
                case "--seeds" -> overrides.add("run.seeds=" + valueAfter(args, i++));
                case "--set" -> overrides.add(valueAfter(args, i++));
                default -> {
                    if (args.get(i).startsWith("--")) {
                        throw new IllegalArgumentException("unknown option '" + args.get(i) + "'");
                    }
                    ids.add(args.get(i));
                }
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("run needs experiment ids or 'all'");
        }
        List<Experiment> chosen = ids.equals(List.of("all")) ? Experiments.all() : ids.stream().map(Experiments::byId)
                .toList();
        RunContext context = RunContext.fromCommandLine(profile, seed, overrides);
        List<String> changed = context.settings().overriddenKeys().stream()
                .map(k -> k + "=" + context.settings().effective().get(k)).toList();
        out.println("icmlora: " + chosen.size() + " experiment(s), profile " + context.profile().id() + ", seed "
                + context.seed() + ", " + KitEngine.describe() + (changed.isEmpty() ? "" : ", changed: " + changed)
                + ", cache " + context.store().root());
        var swept = context.store().removeLeftovers();
        if (!swept.isEmpty()) {
            out.println("  removed " + swept.size() + " directories left by killed runs ("
                    + DiskUsage.human(swept.stream().mapToLong(ArtifactStore.Leftover::bytes).sum()) + ")");
        }
        int failures = 0;
        RunTimes times = new RunTimes();
        if (chosen.size() > 1) {
            fitAhead(context, chosen, times);
        }
        for (Experiment experiment : chosen) {
            times.startExperiment();
            int mark = ArtifactStore.activity().mark();
            try {
                ExperimentResult result = experiment.run(context);
                result.took(times.finishExperiment(experiment.id()));
                Path dir = context.resultsDir(experiment.id());
                result.write(dir);
                StoreActivity.Summary stages = ArtifactStore.activity().since(mark);
                out.println("  " + experiment.id() + ": done in " + Progress.format(result.seconds()) + " ("
                        + stages.computed() + " stage outputs computed, " + stages.reused() + " reused"
                        + (stages.waits() > 0 ? ", " + stages.waits() + " waits for another run" : "")
                        + "); results in " + dir);
                times.write(context.runDir());
            } catch (RuntimeException e) {
                failures++;
                err.println("icmlora: " + experiment.id() + " failed after "
                        + Progress.format(times.finishExperiment(experiment.id())) + ": " + sentence(e)
                        + traceNote(context, experiment.id(), e));
            }
        }
        times.write(context.runDir()).forEach(out::println);
        out.println("  summary of every result at profile " + context.profile().id() + ": "
                + SummaryPage.write(context));
        return failures == 0 ? 0 : 1;
    }

    /**
     * Fits the generators of every chosen experiment side by side before the first experiment runs
     * ({@link GeneratorStage#fitAhead}), timed as the entry {@value #FIT_AHEAD}. A failure is only reported: an
     * experiment that needs the failed fit meets it again and fails on its own, the others run.
     */
    private void fitAhead(RunContext context, List<Experiment> chosen, RunTimes times) {
        times.startExperiment();
        try {
            List<GeneratorStage.Request> fits = chosen.stream().flatMap(e -> e.fits(context).stream()).toList();
            out.println("  " + FIT_AHEAD + ": the " + chosen.size() + " experiments' " + fits.size() + " generator"
                    + " fits (some shared), side by side, the longest first");
            int fitted = GeneratorStage.fitAhead(fits);
            out.println("  " + FIT_AHEAD + ": done in " + Progress.format(times.finishExperiment(FIT_AHEAD)) + " ("
                    + fitted + " generators fitted, the others cached)");
        } catch (RuntimeException e) {
            err.println("icmlora: fitting the generators ahead failed after "
                    + Progress.format(times.finishExperiment(FIT_AHEAD)) + ": " + sentence(e)
                    + "; each experiment that needs the failed fit tries it again");
        }
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
        var artifacts = store.list();
        long total = 0;
        for (ArtifactStore.StoredArtifact artifact : artifacts) {
            out.printf(Locale.ROOT, "%-42s %10s  %s%s%n", artifact.key(), DiskUsage.human(artifact.bytes()),
                    artifact.created(), artifact.unreadable() == null ? ""
                            : "  DAMAGED: manifest.json " + artifact.unreadable() + " (run '" + SCRIPT + " repair')");
            total += artifact.bytes();
        }
        out.printf(Locale.ROOT, "%d outputs, %s%n", artifacts.size(), DiskUsage.human(total));
        Map<ArtifactStore.Leftover.Kind, List<ArtifactStore.Leftover>> leftovers = store.leftovers().stream()
                .collect(Collectors.groupingBy(ArtifactStore.Leftover::kind, TreeMap::new, Collectors.toList()));
        leftovers.forEach((kind, found) -> out.printf(Locale.ROOT, "%d %s, %s%n", found.size(), switch (kind) {
            case STAGING -> "staging directories of killed runs (removed by the next run)";
            case FINISHED_WORK -> "work directories of finished outputs (removed by the next run)";
            case INCOMPLETE_OUTPUT -> "output directories without manifest (removed by the next run)";
            case RESUMABLE_WORK -> "work directories of unfinished outputs (the next run of their stage resumes"
                    + " from them; 'clean STAGE' removes them)";
        }, DiskUsage.human(found.stream().mapToLong(ArtifactStore.Leftover::bytes).sum())));
        return 0;
    }

    private int verify() {
        ArtifactStore store = ArtifactStore.atDefaultLocation();
        int outputs = store.list().size();
        List<ArtifactStore.Problem> problems = store.check();
        problems.forEach(problem -> out.println((problem.kind() == ArtifactStore.Problem.Kind.DAMAGED ? "DAMAGED "
                : "STALE   ") + problem.sentence()));
        if (problems.isEmpty()) {
            out.println("all " + outputs + " outputs in " + store.root() + " are intact");
            return 0;
        }
        out.println(problems.size() + " of " + outputs + " outputs are bad; run '" + SCRIPT + " repair' to remove"
                + " them and those made from them (the next run recomputes them)");
        return 1;
    }

    private int repair() {
        ArtifactStore store = ArtifactStore.atDefaultLocation();
        List<ArtifactStore.Problem> problems = store.check();
        problems.forEach(problem -> out.println("bad: " + problem.sentence()));
        ArtifactStore.Removal removal = store.removeWithDependents(problems.stream().map(ArtifactStore.Problem::key)
                .toList());
        var swept = store.removeLeftovers();
        out.println("removed " + removal.outputs().size() + " bad output(s)" + dependentsNote(removal)
                + (swept.isEmpty() ? "" : " and " + swept.size() + " directories left by killed runs") + ", "
                + DiskUsage.human(removal.bytes() + swept.stream().mapToLong(ArtifactStore.Leftover::bytes).sum())
                + " in all; the next run recomputes what it needs");
        return 0;
    }

    private int clean(List<String> args) {
        if (args.equals(List.of("--bad"))) {
            return repair();
        }
        if (args.size() != 1) {
            throw new IllegalArgumentException("clean takes one stage name, or --bad");
        }
        ArtifactStore.Removal removal = ArtifactStore.atDefaultLocation().clean(args.get(0));
        out.println("removed " + removal.outputs().size() + " output(s) of stage " + args.get(0)
                + dependentsNote(removal) + ", " + DiskUsage.human(removal.bytes()) + " in all");
        return 0;
    }

    /** Rewrites README's results section from {@code results/<profile>/} (default quick). */
    private int readmeTables(List<String> args) {
        Profile profile = Profile.QUICK;
        for (int i = 0; i < args.size(); i++) {
            if (!args.get(i).equals("--profile")) {
                throw new IllegalArgumentException("readme-tables takes only --profile, got '" + args.get(i) + "'");
            }
            profile = Profile.parse(valueAfter(args, i++), "--profile");
        }
        Path results = KitPaths.root().resolve("results").resolve(profile.id());
        if (!Files.isDirectory(results)) {
            throw new IllegalArgumentException("there are no committed results in " + results + "; run the reproduce"
                    + " command at the " + profile.id() + " profile first and copy its reports/results/"
                    + profile.id() + "/seed-<seed>/ there");
        }
        Path readme = KitPaths.root().resolve("README.md");
        ReadmeTables.updateFile(readme, results);
        out.println("README.md: results section rewritten from " + results);
        return 0;
    }

    private int help() {
        out.println(USAGE);
        out.println("experiments: " + String.join(", ", Experiments.all().stream().map(Experiment::id).toList()));
        return 0;
    }

    private int usage(String problem) {
        err.println("icmlora: " + problem);
        err.println(USAGE);
        return 2;
    }

    private boolean noArguments(String command, List<String> rest) {
        if (!rest.isEmpty()) {
            usage(command + " takes no arguments, got " + rest);
            return false;
        }
        return true;
    }

    private static String dependentsNote(ArtifactStore.Removal removal) {
        if (removal.dependents().isEmpty()) {
            return "";
        }
        return " and " + removal.dependents().size() + " made from them (" + countByStage(removal.dependents()) + ")";
    }

    private static String countByStage(Collection<StageKey> keys) {
        return keys.stream().collect(Collectors.groupingBy(StageKey::stage, TreeMap::new, Collectors.counting()))
                .entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    /** The failure as one line: its message (a damaged file's names the file and the repair command). */
    private static String sentence(RuntimeException e) {
        Throwable shown = e;
        while (shown.getMessage() == null && shown.getCause() != null) {
            shown = shown.getCause();
        }
        String message = shown.getMessage() != null ? shown.getMessage()
                : shown.getClass().getSimpleName() + " at " + (shown.getStackTrace().length > 0
                ? shown.getStackTrace()[0] : "an unknown place");
        return message.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** Prints the stack trace with --debug, else writes it to reports/logs/ and says where. */
    private String traceNote(RunContext context, String experiment, RuntimeException e) {
        if (debug) {
            e.printStackTrace(err);
            return "";
        }
        if (e instanceof CorruptArtifactException) {
            return ""; // the message says all there is to do
        }
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        Path log = context.reportsDir().resolve("logs").resolve(experiment + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".log");
        try {
            AtomicFiles.writeString(log, trace.toString());
            return " (stack trace in " + log + ")";
        } catch (RuntimeException unwritable) {
            return " (--debug prints the stack trace)";
        }
    }

    private static String valueAfter(List<String> args, int i) {
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(args.get(i) + " needs a value");
        }
        return args.get(i + 1);
    }
}
