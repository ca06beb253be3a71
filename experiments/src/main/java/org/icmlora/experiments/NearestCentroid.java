package org.icmlora.experiments;

import java.util.LinkedHashMap;
import java.util.Map;

/** How well points cluster by label: leave-one-out nearest-centroid classification accuracy (Euclidean). */
final class NearestCentroid {

    private NearestCentroid() {}

    /** The share of points whose nearest class centroid, computed without the point itself, is their own class. */
    static double leaveOneOutAccuracy(double[][] points, String[] labels) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < points.length; i++) {
            double[] sum = sums.computeIfAbsent(labels[i], k -> new double[points[0].length]);
            for (int d = 0; d < sum.length; d++) {
                sum[d] += points[i][d];
            }
            counts.merge(labels[i], 1, Integer::sum);
        }
        int correct = 0;
        for (int i = 0; i < points.length; i++) {
            String best = null;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (var entry : sums.entrySet()) {
                boolean own = entry.getKey().equals(labels[i]);
                int n = counts.get(entry.getKey()) - (own ? 1 : 0);
                if (n == 0) {
                    continue;
                }
                double distance = 0;
                for (int d = 0; d < points[i].length; d++) {
                    double centroid = (entry.getValue()[d] - (own ? points[i][d] : 0)) / n;
                    distance += (points[i][d] - centroid) * (points[i][d] - centroid);
                }
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = entry.getKey();
                }
            }
            correct += labels[i].equals(best) ? 1 : 0;
        }
        return (double) correct / points.length;
    }
}
