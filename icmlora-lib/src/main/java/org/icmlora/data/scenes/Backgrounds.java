package org.icmlora.data.scenes;

import java.util.SplittableRandom;

/**
 * Procedural backgrounds, so that a detector cannot find objects by "anything that is not black": a gradient,
 * stripes at an angle, a checkerboard or soft blotches, each at a random dark-to-mid brightness, plus pixel noise.
 */
final class Backgrounds {

    private static final float MAX_LEVEL = 0.6f;

    private Backgrounds() {}

    /** Fills {@code pixels} (size x size, row-major) with one random background drawn from {@code rng}. */
    static void paint(float[] pixels, int size, SplittableRandom rng) {
        double base = 0.05 + 0.35 * rng.nextDouble();
        int kind = rng.nextInt(4);
        double angle = rng.nextDouble() * Math.PI;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double amplitude = 0.05 + 0.15 * rng.nextDouble();
        double period = 4 + 12 * rng.nextDouble();
        int blobs = 3 + rng.nextInt(4);
        double[][] blob = new double[blobs][4];
        for (double[] b : blob) {
            b[0] = rng.nextDouble() * size;
            b[1] = rng.nextDouble() * size;
            b[2] = size * (0.1 + 0.25 * rng.nextDouble());
            b[3] = (rng.nextDouble() - 0.5) * 0.4;
        }
        double noise = 0.01 + 0.04 * rng.nextDouble();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double along = (x * cos + y * sin) / size;
                double value = switch (kind) {
                    case 0 -> base + amplitude * (2 * along - 1);
                    case 1 -> base + amplitude * Math.sin(2 * Math.PI * (x * cos + y * sin) / period);
                    case 2 -> base + amplitude * ((((int) (x / period) + (int) (y / period)) & 1) == 0 ? 1 : -1);
                    default -> base + blobSum(blob, x, y);
                };
                value += noise * rng.nextGaussian();
                pixels[y * size + x] = (float) Math.max(0, Math.min(MAX_LEVEL, value));
            }
        }
    }

    private static double blobSum(double[][] blobs, int x, int y) {
        double sum = 0;
        for (double[] b : blobs) {
            double dx = x - b[0];
            double dy = y - b[1];
            sum += b[3] * Math.exp(-(dx * dx + dy * dy) / (2 * b[2] * b[2]));
        }
        return sum;
    }
}
