package org.icmlora.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported HTML of the environment notebook, opened in headless Chromium with background networking off,
 * holds the SVG that plotly.js draws for each chart: the charts render offline, in spite of the require.js that
 * nbconvert's template loads.
 */
class PlotlyRendersOfflineTest {

    private static final String CHROMIUM = "/usr/bin/chromium";

    @TempDir
    Path profileDir;

    @Test
    void everyChartOfTheEnvironmentNotebookIsDrawn() throws Exception {
        assertTrue(Files.isExecutable(Path.of(CHROMIUM)), CHROMIUM + " missing: run environment/setup.sh");
        NotebookRun run = SmokeRun.allNotebooks();
        assertEquals(0, run.exitCode(), run.output());
        Path html = run.outDir().resolve("00-environment.html");
        int charts = count(Files.readString(html), "<div id=\\\\?\"icmlora_plot_");

        String dom = dumpDom(html);
        assertTrue(dom.contains("class=\"main-svg\""), "no Plotly SVG in the rendered page");
        assertEquals(charts, count(dom, "class=\"plot-container plotly\""), "one drawn plot per chart");
        assertTrue(charts >= 2, "the environment notebook draws two charts, found " + charts);
    }

    private String dumpDom(Path html) throws Exception {
        List<String> command = List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profileDir, "--virtual-time-budget=20000", "--dump-dom",
                html.toUri().toString());
        Path out = profileDir.resolve("dom.html");
        Process chromium = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!chromium.waitFor(3, TimeUnit.MINUTES)) {
            chromium.destroyForcibly();
            throw new IllegalStateException("chromium did not finish within 3 minutes");
        }
        assertEquals(0, chromium.exitValue(), "chromium exit status");
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
