package org.icmlora.display;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import tech.tablesaw.plotly.components.Figure;

/**
 * Renders tablesaw-jsplot {@link Figure}s as HTML that draws offline: the first figure of a notebook session carries
 * the local plotly.js, later ones reuse it.
 *
 * <p>Three traps are handled here so that notebooks need not know them. Tablesaw's own pages load plotly.js from a
 * CDN, which an offline machine cannot reach: the library is embedded instead. Jupyter's classic front end and
 * nbconvert's HTML export load require.js, which would capture plotly.js as an AMD module and leave no
 * {@code window.Plotly}: {@code window.define} is hidden while plotly.js runs and restored after. Tablesaw turns the
 * div id into a JavaScript variable name, so ids are built from letters, digits and underscores only. Each figure's
 * script runs in its own function scope, so figures do not overwrite each other's variables.
 */
public final class PlotlyHtml {

    /** System property holding the path of {@code plotly.min.js} (set by the kit's kernelspec). */
    public static final String PLOTLY_PATH_PROPERTY = "icmlora.plotly.js";
    /** Environment variable read when the system property is not set. */
    public static final String PLOTLY_PATH_ENV = "ICMLORA_PLOTLY_JS";

    private final Supplier<String> plotlySource;
    private final String idPrefix;
    private int figureCount;
    private boolean plotlyEmbedded;

    /**
     * @param plotlySource gives the plotly.js source; asked once, for the first figure
     * @param idPrefix start of every div id; letters, digits and underscores, starting with a letter
     */
    public PlotlyHtml(Supplier<String> plotlySource, String idPrefix) {
        if (plotlySource == null) {
            throw new IllegalArgumentException("plotlySource must not be null");
        }
        if (idPrefix == null || !idPrefix.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "idPrefix must be a JavaScript identifier (letters, digits, '_', starting with a letter), got '"
                            + idPrefix + "'");
        }
        this.plotlySource = plotlySource;
        this.idPrefix = idPrefix;
    }

    /**
     * A renderer that reads plotly.js from the file named by {@value #PLOTLY_PATH_PROPERTY} (or
     * {@value #PLOTLY_PATH_ENV}) and gives its figures ids unique to this JVM.
     */
    public static PlotlyHtml fromConfiguredFile() {
        String token = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        return new PlotlyHtml(PlotlyHtml::readConfiguredPlotly, "icmlora_plot_" + token);
    }

    /** The figure as a div and the script that draws it; the first call also embeds plotly.js. */
    public synchronized String of(Figure figure) {
        if (figure == null) {
            throw new IllegalArgumentException("figure must not be null");
        }
        String id = idPrefix + "_" + (++figureCount);
        StringBuilder html = new StringBuilder();
        html.append("<div id=\"").append(id).append("\"></div>\n");
        if (!plotlyEmbedded) {
            html.append("<script>window.__icmloraDefine = window.define; window.define = undefined;</script>\n")
                    .append("<script>").append(scriptSafe(plotlySource.get())).append("</script>\n")
                    .append("<script>window.define = window.__icmloraDefine; delete window.__icmloraDefine;</script>\n");
            plotlyEmbedded = true;
        }
        html.append("<script>(function () {\n")
                .append(scriptSafe(scriptBody(figure.asJavascript(id))))
                .append("\n})();</script>\n");
        return html.toString();
    }

    /** The code between Tablesaw's {@code <script>} tags. */
    private static String scriptBody(String tablesawScript) {
        int open = tablesawScript.indexOf("<script>");
        int close = tablesawScript.lastIndexOf("</script>");
        if (open < 0 || close < open) {
            throw new IllegalStateException("unexpected Tablesaw figure script (no <script> element): "
                    + tablesawScript.substring(0, Math.min(200, tablesawScript.length())));
        }
        return tablesawScript.substring(open + "<script>".length(), close).trim();
    }

    /** Keeps a script from ending its own element early: {@code </script} inside code becomes {@code <\/script}. */
    static String scriptSafe(String code) {
        StringBuilder out = new StringBuilder(code.length());
        String lower = code.toLowerCase(Locale.ROOT);
        int from = 0;
        for (int at = lower.indexOf("</script", from); at >= 0; at = lower.indexOf("</script", from)) {
            out.append(code, from, at).append("<\\/");
            from = at + 2;
        }
        return out.append(code, from, code.length()).toString();
    }

    private static String readConfiguredPlotly() {
        String path = System.getProperty(PLOTLY_PATH_PROPERTY, System.getenv(PLOTLY_PATH_ENV));
        if (path == null || path.isBlank()) {
            throw new IllegalStateException("plotly.js location unknown: set -D" + PLOTLY_PATH_PROPERTY
                    + " or " + PLOTLY_PATH_ENV + " (the kit's kernelspec from environment/setup.sh does)");
        }
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read plotly.js from " + path
                    + " (" + PLOTLY_PATH_PROPERTY + "); run environment/setup.sh", e);
        }
    }
}
