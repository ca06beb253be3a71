package org.icmlora.experiments;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.icmlora.display.HtmlEscape;
import org.icmlora.display.TableHtml;
import org.icmlora.store.AtomicFiles;
import tech.tablesaw.api.Table;

/**
 * Writes {@code reports/summary.html}: for every experiment that has results at the run's profile, its title, time,
 * notes and the measured-versus-paper table. The reproduce command's index page embeds it.
 */
final class SummaryPage {

    private SummaryPage() {}

    static void write(RunContext context) {
        Path resultsRoot = context.resultsDir("x").getParent();
        StringBuilder html = new StringBuilder("<h2>Measured vs paper (profile ").append(context.profile().id())
                .append(")</h2>\n");
        for (Path dir : resultDirs(resultsRoot)) {
            JsonObject result = readJson(dir.resolve("result.json"));
            html.append("<h3>").append(HtmlEscape.escape(result.get("title").getAsString())).append("</h3>\n<p>")
                    .append(HtmlEscape.escape("seed " + result.get("seed") + ", " + result.get("seconds") + " s, "
                            + result.get("device").getAsString())).append("</p>\n");
            for (var note : result.getAsJsonArray("notes")) {
                html.append("<p class=\"note\">").append(HtmlEscape.escape(note.getAsString())).append("</p>\n");
            }
            html.append(TableHtml.of(readCsv(dir.resolve("comparison.csv")))).append('\n');
        }
        html.append(RunTimes.html(resultsRoot.resolve(RunTimes.FILE)));
        AtomicFiles.writeString(context.reportsDir().resolve("summary.html"), html.toString());
    }

    private static List<Path> resultDirs(Path resultsRoot) {
        if (!Files.isDirectory(resultsRoot)) {
            return List.of();
        }
        List<String> order = Experiments.all().stream().map(Experiment::id).toList();
        try (Stream<Path> dirs = Files.list(resultsRoot)) {
            return dirs.filter(ExperimentResult::isResultDir)
                    .sorted(java.util.Comparator.comparingInt(d -> order.indexOf(d.getFileName().toString())))
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
