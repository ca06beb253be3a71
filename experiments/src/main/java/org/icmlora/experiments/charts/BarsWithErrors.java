package org.icmlora.experiments.charts;

import com.google.gson.Gson;
import java.util.LinkedHashMap;
import java.util.Map;
import tech.tablesaw.plotly.components.HoverLabel;
import tech.tablesaw.plotly.traces.Trace;

/**
 * A bar trace with error bars (plotly's {@code error_y}), which Tablesaw's {@code BarTrace} cannot draw: the bars of
 * one series and, per bar, the half-width of its error bar (a standard deviation over seeds, or the distance to an
 * interval's bounds when {@code below} differs from {@code above}).
 */
final class BarsWithErrors implements Trace {

    private static final Gson GSON = new Gson();

    private final String name;
    private final Object[] x;
    private final double[] y;
    private final double[] above;
    private final double[] below;

    BarsWithErrors(String name, Object[] x, double[] y, double[] above, double[] below) {
        this.name = name;
        this.x = x.clone();
        this.y = y.clone();
        this.above = above.clone();
        this.below = below.clone();
    }

    @Override
    public String asJavascript(int i) {
        Map<String, Object> trace = new LinkedHashMap<>();
        trace.put("x", x);
        trace.put("y", nullForNaN(y));
        trace.put("type", "bar");
        trace.put("name", name);
        trace.put("showlegend", true);
        Map<String, Object> errors = new LinkedHashMap<>();
        errors.put("type", "data");
        errors.put("symmetric", false);
        errors.put("array", nullForNaN(above));
        errors.put("arrayminus", nullForNaN(below));
        errors.put("visible", true);
        trace.put("error_y", errors);
        return "var trace" + i + " = " + GSON.toJson(trace) + ";\n";
    }

    private static Double[] nullForNaN(double[] values) {
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = Double.isNaN(values[i]) ? null : values[i];
        }
        return boxed;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public HoverLabel hoverLabel() {
        return null;
    }

    @Override
    public boolean showLegend() {
        return true;
    }
}
