package org.icmlora.display;

import java.awt.image.BufferedImage;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/**
 * What a notebook cell calls to show a result: {@code show(table)}, {@code show(figure)}, {@code show(image)}.
 *
 * <p>The kit's kernel imports these methods statically ({@code import static org.icmlora.display.Show.*}), so
 * notebooks hold no display code. Tables become HTML tables, Plotly figures draw offline (plotly.js is embedded once
 * per kernel session, see {@link PlotlyHtml}), images become embedded PNGs.
 */
public final class Show {

    private static volatile NotebookOutput output = NotebookOutput.kernel();
    private static PlotlyHtml plotly;

    private Show() {}

    /** Shows the table, at most {@value TableHtml#DEFAULT_MAX_ROWS} rows. */
    public static void show(Table table) {
        output.html(TableHtml.of(table));
    }

    /** Shows the table, at most {@code maxRows} rows. */
    public static void show(Table table, int maxRows) {
        output.html(TableHtml.of(table, maxRows));
    }

    /** Draws the Plotly figure inline. */
    public static void show(Figure figure) {
        output.html(plotly().of(figure));
    }

    /** Shows the image as a PNG. */
    public static void show(BufferedImage image) {
        output.html(ImageHtml.of(image));
    }

    /** Shows ready-made HTML (for example a note built by an experiment). */
    public static void showHtml(String html) {
        output.html(html == null ? "" : html);
    }

    /**
     * Sends everything shown from now on to {@code target} with a fresh Plotly renderer (so plotly.js is embedded
     * again). For tests and for front ends other than the kit's kernel.
     */
    public static synchronized void useOutput(NotebookOutput target, PlotlyHtml renderer) {
        if (target == null || renderer == null) {
            throw new IllegalArgumentException("target and renderer must not be null");
        }
        output = target;
        plotly = renderer;
    }

    private static synchronized PlotlyHtml plotly() {
        if (plotly == null) {
            plotly = PlotlyHtml.fromConfiguredFile();
        }
        return plotly;
    }
}
