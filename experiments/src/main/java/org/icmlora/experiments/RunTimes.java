package org.icmlora.experiments;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.icmlora.display.HtmlEscape;
import org.icmlora.engine.AllocatorSettings;
import org.icmlora.engine.KitEngine;
import org.icmlora.engine.ProcessCpu;
import org.icmlora.engine.Workers;
import org.icmlora.store.AtomicFiles;
import org.icmlora.store.StageTimes;
import org.icmlora.train.Progress;

/**
 * Where a command-line run spent its time: per experiment its wall-clock and process CPU seconds and the stages it
 * computed (outputs, own wall and CPU seconds of each stage, {@link StageTimes}); for the whole run the same, the CPU
 * of each group of threads ({@link ProcessCpu}: the kit's workers, garbage collection, the JIT, ...), the workers and
 * intra-op threads used, the allocator's settings ({@link AllocatorSettings}), and the machine's load average,
 * since wall-clock times mean little on a shared machine.
 * Written as {@code timing.json} beside the run's experiment folders ({@link RunContext#runDir()}); the summary page
 * (and so {@code reports/index.html}) shows it as a table.
 */
final class RunTimes {

    /** The file name, in the run's results directory. */
    static final String FILE = "timing.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();

    /** One experiment's times and the stages it computed. */
    record ExperimentTime(String id, double wallSeconds, double cpuSeconds, List<StageTimes.StageTotal> stages) {}

    private final long startNanos = System.nanoTime();
    private final double startCpu = ProcessCpu.seconds();
    private final int startMark = StageTimes.mark();
    private final String startLoad = ProcessCpu.loadAverage();
    private final List<ExperimentTime> experiments = new ArrayList<>();
    private long experimentNanos;
    private double experimentCpu;
    private int experimentMark;

    /** Starts timing the next experiment. */
    void startExperiment() {
        experimentNanos = System.nanoTime();
        experimentCpu = ProcessCpu.seconds();
        experimentMark = StageTimes.mark();
    }

    /** Records the experiment started last as {@code id}; returns its wall-clock seconds. */
    double finishExperiment(String id) {
        double wall = (System.nanoTime() - experimentNanos) / 1e9;
        experiments.add(new ExperimentTime(id, wall, ProcessCpu.seconds() - experimentCpu,
                StageTimes.byStage(StageTimes.since(experimentMark))));
        return wall;
    }

    /** The run's times as JSON (see the class comment). */
    JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("wallSeconds", round((System.nanoTime() - startNanos) / 1e9));
        json.addProperty("cpuSeconds", round(ProcessCpu.seconds() - startCpu));
        json.addProperty("workers", Workers.size());
        json.addProperty("intraOpThreads", KitEngine.threads());
        json.addProperty("cores", Runtime.getRuntime().availableProcessors());
        json.addProperty("allocator", AllocatorSettings.describe());
        json.addProperty("loadAverageAtStart", startLoad);
        json.addProperty("loadAverageAtEnd", ProcessCpu.loadAverage());
        json.add("stages", GSON.toJsonTree(rounded(StageTimes.byStage(StageTimes.since(startMark)))));
        json.add("experiments", GSON.toJsonTree(experiments.stream().map(e -> new ExperimentTime(e.id(),
                round(e.wallSeconds()), round(e.cpuSeconds()), rounded(e.stages()))).toList()));
        Map<String, Double> threads = new LinkedHashMap<>();
        ProcessCpu.byThreadGroup().forEach((group, seconds) -> threads.put(group, round(seconds)));
        json.add("cpuSecondsByThreadGroup", GSON.toJsonTree(threads));
        return json;
    }

    /**
     * Writes {@link #toJson()} into {@code runDir} (after every experiment, so a run cut short keeps what it
     * measured) and returns the lines the command line prints at the end.
     */
    List<String> write(Path runDir) {
        JsonObject json = toJson();
        try {
            Files.createDirectories(runDir);
            AtomicFiles.writeString(runDir.resolve(FILE), GSON.toJson(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDir.resolve(FILE), e);
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "time: %s wall, %s CPU (%d workers x %d intra-op threads; load average"
                + " %s at start, %s at end)", Progress.format(json.get("wallSeconds").getAsDouble()),
                Progress.format(json.get("cpuSeconds").getAsDouble()), json.get("workers").getAsInt(),
                json.get("intraOpThreads").getAsInt(), startLoad, json.get("loadAverageAtEnd").getAsString()));
        for (var stage : json.getAsJsonArray("stages")) {
            JsonObject s = stage.getAsJsonObject();
            lines.add(String.format(Locale.ROOT, "  stage %-28s %4d outputs %9.1f s CPU %9.1f s wall",
                    s.get("stage").getAsString(), s.get("outputs").getAsInt(), s.get("cpuSeconds").getAsDouble(),
                    s.get("wallSeconds").getAsDouble()));
        }
        lines.add("  CPU seconds by thread group: " + json.getAsJsonObject("cpuSecondsByThreadGroup"));
        return lines;
    }

    /** The times of {@code file} as HTML tables (per stage, per experiment), or "" when there is no such file. */
    static String html(Path file) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        JsonObject json;
        try {
            json = GSON.fromJson(Files.readString(file), JsonObject.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        StringBuilder html = new StringBuilder("<h2>Time per stage</h2>\n<p>")
                .append(HtmlEscape.escape(String.format(Locale.ROOT, "The experiments' run: %s wall, %s CPU, %d"
                        + " workers x %d intra-op threads on %d cores, load average %s at start and %s at end (other"
                        + " processes on the machine slow the wall clock, not the CPU seconds). A stage's seconds are"
                        + " its own, without the inputs it computed on the way.",
                        Progress.format(json.get("wallSeconds").getAsDouble()),
                        Progress.format(json.get("cpuSeconds").getAsDouble()), json.get("workers").getAsInt(),
                        json.get("intraOpThreads").getAsInt(), json.get("cores").getAsInt(),
                        json.get("loadAverageAtStart").getAsString(), json.get("loadAverageAtEnd").getAsString())
                        + (json.has("allocator") ? " Allocator: " + json.get("allocator").getAsString() + "." : "")))
                .append("</p>\n<table>\n<tr><th>stage</th><th>outputs computed</th><th>CPU s</th><th>wall s</th></tr>\n");
        for (var stage : json.getAsJsonArray("stages")) {
            JsonObject s = stage.getAsJsonObject();
            html.append(row(s.get("stage").getAsString(), s.get("outputs").getAsString(),
                    s.get("cpuSeconds").getAsString(), s.get("wallSeconds").getAsString()));
        }
        html.append("</table>\n<table>\n<tr><th>experiment</th><th>stages computed</th><th>CPU s</th><th>wall s</th>"
                + "</tr>\n");
        for (var experiment : json.getAsJsonArray("experiments")) {
            JsonObject e = experiment.getAsJsonObject();
            int outputs = 0;
            for (var stage : e.getAsJsonArray("stages")) {
                outputs += stage.getAsJsonObject().get("outputs").getAsInt();
            }
            html.append(row(e.get("id").getAsString(), Integer.toString(outputs), e.get("cpuSeconds").getAsString(),
                    e.get("wallSeconds").getAsString()));
        }
        html.append("</table>\n<p>").append(HtmlEscape.escape("CPU seconds by thread group: "
                + json.getAsJsonObject("cpuSecondsByThreadGroup"))).append("</p>\n");
        return html.toString();
    }

    private static String row(String... cells) {
        StringBuilder row = new StringBuilder("<tr>");
        for (String cell : cells) {
            row.append("<td>").append(HtmlEscape.escape(cell)).append("</td>");
        }
        return row.append("</tr>\n").toString();
    }

    private static List<StageTimes.StageTotal> rounded(List<StageTimes.StageTotal> stages) {
        return stages.stream().map(s -> new StageTimes.StageTotal(s.stage(), s.outputs(), round(s.wallSeconds()),
                round(s.cpuSeconds()))).toList();
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
