package org.icmlora.data.scenes;

/**
 * How scenes are composed.
 *
 * @param size           width and height of a scene in pixels
 * @param minObjectSize  smallest side an object photograph is scaled to
 * @param maxObjectSize  largest side an object photograph is scaled to
 * @param maxTargets     most objects of the prompted garment in one scene (at least 1 unless the scene is negative)
 * @param minDistractors fewest objects of other garments
 * @param maxDistractors most objects of other garments
 * @param negativeRate   probability that a scene holds no object of the prompted garment
 * @param maxOverlap     largest IoU allowed between the boxes of two objects
 */
public record CompositionSettings(int size, int minObjectSize, int maxObjectSize, int maxTargets, int minDistractors,
        int maxDistractors, double negativeRate, double maxOverlap) {

    public CompositionSettings {
        if (minObjectSize < 4 || maxObjectSize < minObjectSize || maxObjectSize > size) {
            throw new IllegalArgumentException("object sizes must satisfy 4 <= min <= max <= scene size " + size
                    + ", got " + minObjectSize + ".." + maxObjectSize);
        }
        if (maxTargets < 1 || minDistractors < 0 || maxDistractors < minDistractors) {
            throw new IllegalArgumentException("need maxTargets >= 1 and 0 <= minDistractors <= maxDistractors, got "
                    + maxTargets + ", " + minDistractors + ".." + maxDistractors);
        }
        if (!(negativeRate >= 0 && negativeRate < 1) || !(maxOverlap >= 0 && maxOverlap <= 1)) {
            throw new IllegalArgumentException("negativeRate must be in [0, 1) and maxOverlap in [0, 1], got "
                    + negativeRate + " and " + maxOverlap);
        }
    }
}
