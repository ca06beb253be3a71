package org.icmlora.experiments;

import com.google.gson.GsonBuilder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.icmlora.engine.KitEngine;
import org.icmlora.store.AtomicFiles;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/**
 * What an experiment produced: its measured table, the comparison with the paper, figures and pictures, a few lines
 * of honest reading, and how long it took. {@link #write} stores it as CSV, PNG and a {@code result.json} (with the
 * effective configuration of the run, every key of the profile file, and which keys were overridden) that the
 * report page reads.
 */
public final class ExperimentResult {

    private final String id;
    private final String title;
    private final RunContext context;
    private final Table measured;
    private final Table comparison;
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Map<String, Figure> figures = new LinkedHashMap<>();
    private final Map<String, BufferedImage> images = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private double seconds;

    /** A result of experiment {@code id}: {@code measured} numbers and their {@code comparison} with the paper. */
    public ExperimentResult(String id, String title, RunContext context, Table measured, Table comparison) {
        this.id = id;
        this.title = title;
        this.context = context;
        this.measured = measured;
        this.comparison = comparison;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    /** The kit's numbers, in the paper table's shape. */
    public Table measured() {
        return measured;
    }

    /** Measured, paper and difference columns side by side (see {@link Comparison}). */
    public Table comparison() {
        return comparison;
    }

    /** Further tables by name (differences with their intervals, budgets, ...), written as {@code <name>.csv}. */
    public Map<String, Table> tables() {
        return tables;
    }

    /** Plotly figures by name, in the order they were added. */
    public Map<String, Figure> figures() {
        return figures;
    }

    /** Pictures (detections drawn on test images, t-SNE maps) by name. */
    public Map<String, BufferedImage> images() {
        return images;
    }

    /** Short statements about the result, e.g. where it differs from the paper and why. */
    public List<String> notes() {
        return notes;
    }

    /** Wall-clock seconds the run took (including stages reused from the cache). */
    public double seconds() {
        return seconds;
    }

    ExperimentResult withTable(String name, Table table) {
        tables.put(name, table);
        return this;
    }

    ExperimentResult withFigure(String name, Figure figure) {
        figures.put(name, figure);
        return this;
    }

    ExperimentResult withImage(String name, BufferedImage image) {
        images.put(name, image);
        return this;
    }

    ExperimentResult withNote(String note) {
        notes.add(note);
        return this;
    }

    ExperimentResult took(double wallSeconds) {
        this.seconds = wallSeconds;
        return this;
    }

    /** Writes measured.csv, comparison.csv, one PNG per picture and result.json into {@code dir}, atomically each. */
    public void write(Path dir) {
        AtomicFiles.writeString(dir.resolve("measured.csv"), csv(measured));
        AtomicFiles.writeString(dir.resolve("comparison.csv"), csv(comparison));
        tables.forEach((name, table) -> AtomicFiles.writeString(dir.resolve(name + ".csv"), csv(table)));
        images.forEach((name, image) -> AtomicFiles.write(dir.resolve(name + ".png"), out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer for picture " + name);
            }
        }));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("title", title);
        json.put("profile", context.profile().id());
        json.put("seed", context.seed());
        json.put("device", KitEngine.describe());
        json.putAll(RunFacts.get());
        json.put("finished", Instant.now().toString());
        json.put("seconds", Math.round(seconds * 10) / 10.0);
        json.put("notes", notes);
        json.put("overrides", context.settings().overriddenKeys());
        json.put("configuration", context.settings().effective());
        json.put("images", new ArrayList<>(images.keySet()));
        json.put("tables", new ArrayList<>(tables.keySet()));
        AtomicFiles.writeString(dir.resolve("result.json"),
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json));
    }

    private static String csv(Table table) {
        java.io.StringWriter out = new java.io.StringWriter();
        table.write().csv(out);
        return out.toString();
    }

    /** Reads back the directories {@link #write} produced, for the report page. */
    static boolean isResultDir(Path dir) {
        return Files.isRegularFile(dir.resolve("result.json"));
    }
}
