package org.icmlora.experiments;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.icmlora.display.HtmlEscape;
import org.icmlora.display.TableHtml;
import org.icmlora.store.AtomicFiles;
import tech.tablesaw.api.Table;

/**
 * Writes {@code reports/summary.html}: for every experiment that has results at the run's profile, seed by seed, its
 * title, time, notes and the measured-versus-paper table. The reproduce command's index page embeds it.
 */
final class SummaryPage {

    private static final Pattern SEEDS = Pattern.compile("seeds?-(-?\\d+)(-(-?\\d+))?");

    private SummaryPage() {}

    /** Writes the page for {@code context}'s profile; returns its path. */
    static Path write(RunContext context) {
        StringBuilder html = new StringBuilder("<h2>Measured vs paper (profile ").append(context.profile().id())
                .append(")</h2>\n");
        for (Path dir : seedDirs(context.resultsRoot()).stream().flatMap(seed -> resultDirs(seed).stream()).toList()) {
            JsonObject result = readJson(dir.resolve("result.json"));
            html.append("<h3>").append(HtmlEscape.escape(result.get("title").getAsString())).append("</h3>\n<p>")
                    .append(HtmlEscape.escape("seed " + result.get("seed") + ", " + result.get("seconds") + " s, "
                            + result.get("device").getAsString())).append("</p>\n");
            for (var note : result.getAsJsonArray("notes")) {
                html.append("<p class=\"note\">").append(HtmlEscape.escape(note.getAsString())).append("</p>\n");
            }
            html.append(TableHtml.of(readCsv(dir.resolve("comparison.csv")))).append('\n');
        }
        html.append(RunTimes.html(context.runDir().resolve(RunTimes.FILE)));
        Path page = context.reportsDir().resolve("summary.html");
        AtomicFiles.writeString(page, html.toString());
        return page;
    }

    /** The {@code seed-<n>} and {@code seeds-<first>-<last>} folders under a profile's results, by first seed. */
    private static List<Path> seedDirs(Path profileRoot) {
        if (!Files.isDirectory(profileRoot)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(profileRoot)) {
            return dirs.filter(d -> SEEDS.matcher(d.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(SummaryPage::firstSeed)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list results in " + profileRoot, e);
        }
    }

    private static long firstSeed(Path seedDir) {
        Matcher matcher = SEEDS.matcher(seedDir.getFileName().toString());
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : 0;
    }

    private static List<Path> resultDirs(Path resultsRoot) {
        if (!Files.isDirectory(resultsRoot)) {
            return List.of();
        }
        List<String> order = Experiments.all().stream().map(Experiment::id).toList();
        try (Stream<Path> dirs = Files.list(resultsRoot)) {
            return dirs.filter(ExperimentResult::isResultDir)
                    .sorted(Comparator.comparingInt(d -> order.indexOf(d.getFileName().toString())))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list results in " + resultsRoot, e);
        }
    }

    private static JsonObject readJson(Path file) {
        try {
            return new Gson().fromJson(Files.readString(file), JsonObject.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Table readCsv(Path file) {
        try {
            return Table.read().csv(file.toFile());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read result table " + file + ": " + e.getMessage(), e);
        }
    }
}
