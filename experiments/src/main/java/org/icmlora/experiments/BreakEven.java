package org.icmlora.experiments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.icmlora.experiments.charts.Charts;
import tech.tablesaw.plotly.components.Figure;

/**
 * When keeping a generator starts to pay, computed from measured sizes only. A generator of {@code G} bytes fitted on
 * {@code T} tasks stores {@code G0 = G - T c} bytes of its own plus {@code c} bytes of condition per task; a user who
 * does not generate keeps one adapter of {@code a} bytes per task, or all {@code K} kept checkpoints per task. So the
 * generator is smaller than one adapter per task from {@code T* = G0 / (a - c)} tasks on (never if {@code a <= c}),
 * and smaller than every kept checkpoint from {@code G0 / (K a - c)} tasks. Over the ranks of Table 3 both sizes
 * grow with the adapter length P: fitting {@code G0 = g0 + g1 P} and {@code a = alpha P} (least squares) gives the
 * adapter length from which the generator pays at the measured number of tasks,
 * {@code P* = (g0 + T c) / (T alpha - g1)} (never if {@code T alpha <= g1}).
 *
 * @param method generator
 * @param points its measured sizes, one per rank
 */
record BreakEven(String method, List<Point> points) {

    /**
     * The sizes measured at one rank.
     *
     * @param rank           r
     * @param adapterLength  P
     * @param tasks          T
     * @param kept           K, checkpoints kept per task
     * @param generatorBytes G, conditions included
     * @param conditionBytes the stored conditions of all T tasks
     * @param adapterBytes   a, one adapter on disk (mean over the tasks' last adapters)
     */
    record Point(int rank, int adapterLength, int tasks, int kept, long generatorBytes, long conditionBytes,
            double adapterBytes) {

        /** G0: the generator without its conditions. */
        double ownBytes() {
            return generatorBytes - conditionBytes;
        }

        /** c: condition bytes per task. */
        double conditionPerTask() {
            return conditionBytes / (double) tasks;
        }

        /** Tasks from which the generator is smaller than one adapter per task (infinite: never). */
        double tasksToBeatOneAdapterPerTask() {
            return tasksToBeat(adapterBytes);
        }

        /** Tasks from which the generator is smaller than all K kept checkpoints per task (infinite: never). */
        double tasksToBeatAllCheckpoints() {
            return tasksToBeat(kept * adapterBytes);
        }

        private double tasksToBeat(double perTask) {
            double margin = perTask - conditionPerTask();
            return margin > 0 ? Math.max(1, Math.ceil(ownBytes() / margin)) : Double.POSITIVE_INFINITY;
        }
    }

    /** P* against one adapter per task at the measured T (infinite: never at this T). */
    double adapterLengthToBeatOneAdapterPerTask() {
        return adapterLengthToBeat(1);
    }

    /** P* against all K kept checkpoints per task at the measured T and K. */
    double adapterLengthToBeatAllCheckpoints() {
        return adapterLengthToBeat(points.get(0).kept());
    }

    private double adapterLengthToBeat(int copies) {
        double[] line = ownBytesLine();
        double alpha = points.stream().mapToDouble(p -> p.adapterBytes() / p.adapterLength()).average().orElseThrow();
        Point first = points.get(0);
        double perTask = first.tasks() * copies * alpha - line[1];
        return perTask > 0 ? Math.ceil((line[0] + first.conditionBytes()) / perTask) : Double.POSITIVE_INFINITY;
    }

    /** {g0, g1} of the least-squares line G0 = g0 + g1 P over the measured ranks (slope 0 from one rank). */
    double[] ownBytesLine() {
        int n = points.size();
        double meanP = points.stream().mapToDouble(Point::adapterLength).average().orElseThrow();
        double meanG = points.stream().mapToDouble(Point::ownBytes).average().orElseThrow();
        double covariance = 0;
        double variance = 0;
        for (Point p : points) {
            covariance += (p.adapterLength() - meanP) * (p.ownBytes() - meanG);
            variance += (p.adapterLength() - meanP) * (p.adapterLength() - meanP);
        }
        double slope = n > 1 && variance > 0 ? covariance / variance : 0;
        return new double[] {meanG - slope * meanP, slope};
    }

    /**
     * Bytes against the number of tasks (1 to {@code maxTasks}) at one rank: one adapter per task, every kept
     * checkpoint, and each generator ({@code G0 + T c}), on a log scale.
     */
    static Figure plot(int rank, List<BreakEven> generators, int maxTasks) {
        Point reference = generators.get(0).at(rank);
        Map<String, double[]> lines = new LinkedHashMap<>();
        lines.put("one adapter per task", series(maxTasks, 0, reference.adapterBytes()));
        lines.put("all " + reference.kept() + " kept checkpoints per task", series(maxTasks, 0,
                reference.kept() * reference.adapterBytes()));
        for (BreakEven generator : generators) {
            Point p = generator.at(rank);
            lines.put(generator.method(), series(maxTasks, p.ownBytes(), p.conditionPerTask()));
        }
        return Charts.lines("Bytes to store against the number of tasks at rank " + rank + " (from measured sizes)",
                lines, "tasks", "bytes", true);
    }

    /** The point measured at {@code rank}. */
    Point at(int rank) {
        return points.stream().filter(p -> p.rank() == rank).findFirst().orElseThrow(() ->
                new IllegalArgumentException(method + " was not measured at rank " + rank));
    }

    private static double[] series(int maxTasks, double fixed, double perTask) {
        double[] values = new double[maxTasks];
        for (int t = 1; t <= maxTasks; t++) {
            values[t - 1] = fixed + t * perTask;
        }
        return values;
    }
}
