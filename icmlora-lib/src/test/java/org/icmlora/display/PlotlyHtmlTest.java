package org.icmlora.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.api.ScatterPlot;
import tech.tablesaw.plotly.api.VerticalBarPlot;
import tech.tablesaw.plotly.components.Figure;

class PlotlyHtmlTest {

    private static final String FAKE_PLOTLY = "window.Plotly = {newPlot: function () {}};";

    private static Figure scatter() {
        Table t = Table.create("t", DoubleColumn.create("x", 1, 2), DoubleColumn.create("y", 3, 4));
        return ScatterPlot.create("title", t, "x", "y");
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    @Test
    void embedsPlotlyOnceAndHidesRequireJsWhileItLoads() {
        AtomicInteger reads = new AtomicInteger();
        PlotlyHtml renderer = new PlotlyHtml(() -> {
            reads.incrementAndGet();
            return FAKE_PLOTLY;
        }, "p");
        String first = renderer.of(scatter());
        String second = renderer.of(scatter());
        assertEquals(1, reads.get());
        assertEquals(1, count(first, FAKE_PLOTLY));
        assertEquals(0, count(second, FAKE_PLOTLY));
        int hide = first.indexOf("window.define = undefined");
        int load = first.indexOf(FAKE_PLOTLY);
        int restore = first.indexOf("window.define = window.__icmloraDefine");
        int draw = first.indexOf("Plotly.newPlot");
        assertTrue(hide >= 0 && hide < load && load < restore && restore < draw, first);
    }

    @Test
    void givesEachFigureAUniqueIdThatIsAJavaScriptIdentifier() {
        PlotlyHtml renderer = new PlotlyHtml(() -> FAKE_PLOTLY, "icmlora_plot_ab12");
        String first = renderer.of(scatter());
        String second = renderer.of(scatter());
        Matcher m1 = Pattern.compile("<div id=\"([^\"]+)\">").matcher(first);
        Matcher m2 = Pattern.compile("<div id=\"([^\"]+)\">").matcher(second);
        assertTrue(m1.find() && m2.find());
        assertEquals("icmlora_plot_ab12_1", m1.group(1));
        assertEquals("icmlora_plot_ab12_2", m2.group(1));
        assertTrue(first.contains("document.getElementById('icmlora_plot_ab12_1')"), first);
        assertTrue(first.contains("var target_icmlora_plot_ab12_1 ="), first);
    }

    @Test
    void runsEachFigureInItsOwnScopeAndKeepsDataFromClosingTheScript() {
        Table t = Table.create("t", StringColumn.create("label", "</script><b>", "ok"),
                DoubleColumn.create("v", 1, 2));
        String html = new PlotlyHtml(() -> FAKE_PLOTLY, "p").of(VerticalBarPlot.create("bars", t, "label", "v"));
        String figurePart = html.substring(html.lastIndexOf("<script>(function () {"));
        assertTrue(figurePart.endsWith("})();</script>\n"), figurePart);
        assertEquals(1, count(figurePart.toLowerCase(), "</script"), figurePart);
        assertTrue(figurePart.contains("<\\/script><b>"), figurePart);
    }

    @Test
    void scriptSafeEscapesEveryClosingScriptTagWhateverItsCase() {
        assertEquals("a<\\/script>b<\\/SCRIPT >c", PlotlyHtml.scriptSafe("a</script>b</SCRIPT >c"));
        assertEquals("no tags", PlotlyHtml.scriptSafe("no tags"));
    }

    @Test
    void rejectsIdPrefixesThatAreNotIdentifiers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PlotlyHtml(() -> FAKE_PLOTLY, "plot-1"));
        assertTrue(e.getMessage().contains("'plot-1'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PlotlyHtml(() -> FAKE_PLOTLY, "1plot"));
    }

    @Test
    void configuredFileMissingNamesTheSetting() {
        String old = System.getProperty(PlotlyHtml.PLOTLY_PATH_PROPERTY);
        System.setProperty(PlotlyHtml.PLOTLY_PATH_PROPERTY, "/nonexistent/plotly.min.js");
        try {
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> PlotlyHtml.fromConfiguredFile().of(scatter()));
            assertTrue(e.getMessage().contains("/nonexistent/plotly.min.js"), e.getMessage());
            assertTrue(e.getMessage().contains(PlotlyHtml.PLOTLY_PATH_PROPERTY), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(PlotlyHtml.PLOTLY_PATH_PROPERTY);
            } else {
                System.setProperty(PlotlyHtml.PLOTLY_PATH_PROPERTY, old);
            }
        }
    }
}
