package org.icmlora.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NearestCentroidTest {

    @Test
    void separatedClustersScoreOne() {
        double[][] points = {{0, 0}, {0, 1}, {1, 0}, {10, 10}, {10, 11}, {11, 10}};
        String[] labels = {"a", "a", "a", "b", "b", "b"};
        assertEquals(1.0, NearestCentroid.leaveOneOutAccuracy(points, labels), 1e-12);
    }

    @Test
    void countsAPointNearerAnotherCentroidAsWrong() {
        // Left out, (4,0) sees a's centroid at (0,0), distance 4, and b's at (5,0.25), distance ~1.03: misclassified.
        // The other three points are nearest their own centroids: 3 of 4 correct.
        double[][] points = {{0, 0}, {4, 0}, {5, 0}, {5, 0.5}};
        String[] labels = {"a", "a", "b", "b"};
        assertEquals(0.75, NearestCentroid.leaveOneOutAccuracy(points, labels), 1e-12);
    }
}
