package org.icmlora.data.scenes;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Composes detection scenes from garment photographs: a procedural background, zero or more objects of the prompted
 * garment and some distractors of other garments, each scaled to a random size and placed at a random position with
 * limited overlap. Deterministic: the same seed gives the same scene, pixel for pixel.
 *
 * <p>Each photograph is scaled bilinearly; its intensity p in [0, 1] becomes an opacity {@code a = min(1, 3p)} and a
 * tone {@code 0.25 + 0.75p} blended over the background ({@code bg (1 - a) + tone a}). An object's box is exact: the
 * tightest box around its scaled pixels with p > {@value #OBJECT_THRESHOLD}, shifted to where it was placed. Objects
 * are drawn in order, so a later one may cover the edge of an earlier one, never more than
 * {@link CompositionSettings#maxOverlap()} allows.
 */
public final class SceneComposer {

    /** Scaled intensity above which a pixel belongs to the object (and to its box). */
    public static final double OBJECT_THRESHOLD = 0.05;
    private static final int PLACEMENT_TRIES = 30;

    private final ObjectBank bank;
    private final CompositionSettings settings;

    /** A composer drawing photographs from {@code bank}. */
    public SceneComposer(ObjectBank bank, CompositionSettings settings) {
        this.bank = bank;
        this.settings = settings;
    }

    /** The settings scenes are composed with. */
    public CompositionSettings settings() {
        return settings;
    }

    /**
     * The scene for {@code seed} with objects of {@code target} (none with probability {@code negativeRate}) and
     * distractors drawn from {@code distractors}.
     */
    public Scene compose(long seed, Garment target, Set<Garment> distractors) {
        if (distractors.contains(target)) {
            throw new IllegalArgumentException("the distractor classes must not include the target " + target);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int size = settings.size();
        float[] pixels = new float[size * size];
        Backgrounds.paint(pixels, size, rng);

        List<Garment> toPlace = new ArrayList<>();
        int targets = rng.nextDouble() < settings.negativeRate() ? 0 : 1 + rng.nextInt(settings.maxTargets());
        for (int i = 0; i < targets; i++) {
            toPlace.add(target);
        }
        List<Garment> pool = distractors.stream().sorted().toList();
        int distractorCount = pool.isEmpty() ? 0 : settings.minDistractors()
                + rng.nextInt(settings.maxDistractors() - settings.minDistractors() + 1);
        for (int i = 0; i < distractorCount; i++) {
            toPlace.add(pool.get(rng.nextInt(pool.size())));
        }
        shuffle(toPlace, rng);

        List<SceneObject> placed = new ArrayList<>();
        for (Garment garment : toPlace) {
            List<byte[]> images = bank.images(garment);
            byte[] photo = images.get(rng.nextInt(images.size()));
            int side = settings.minObjectSize() + rng.nextInt(settings.maxObjectSize() - settings.minObjectSize() + 1);
            float[] sprite = scale(photo, side);
            int[] extent = extent(sprite, side);
            for (int attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
                int left = rng.nextInt(size - side + 1);
                int top = rng.nextInt(size - side + 1);
                Box box = new Box(left + extent[0], top + extent[1], left + extent[2], top + extent[3]);
                if (placed.stream().allMatch(o -> o.box().iou(box) <= settings.maxOverlap())) {
                    blend(pixels, size, sprite, side, left, top);
                    placed.add(new SceneObject(garment, box));
                    break;
                }
            }
        }
        return new Scene(size, pixels, placed);
    }

    /** Bilinear scaling of a 28x28 photograph to side x side intensities in [0, 1]. */
    static float[] scale(byte[] photo, int side) {
        int n = FashionMnist.SIDE;
        float[] out = new float[side * side];
        double ratio = (double) n / side;
        for (int y = 0; y < side; y++) {
            double sy = Math.max(0, Math.min(n - 1, (y + 0.5) * ratio - 0.5));
            int y0 = (int) sy;
            int y1 = Math.min(n - 1, y0 + 1);
            double fy = sy - y0;
            for (int x = 0; x < side; x++) {
                double sx = Math.max(0, Math.min(n - 1, (x + 0.5) * ratio - 0.5));
                int x0 = (int) sx;
                int x1 = Math.min(n - 1, x0 + 1);
                double fx = sx - x0;
                double top = value(photo, x0, y0) * (1 - fx) + value(photo, x1, y0) * fx;
                double bottom = value(photo, x0, y1) * (1 - fx) + value(photo, x1, y1) * fx;
                out[y * side + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }

    /** The object's tight extent in sprite coordinates: {x1, y1, x2, y2}, x2 and y2 exclusive. */
    private static int[] extent(float[] sprite, int side) {
        int[] e = {side, side, 0, 0};
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                if (sprite[y * side + x] > OBJECT_THRESHOLD) {
                    e[0] = Math.min(e[0], x);
                    e[1] = Math.min(e[1], y);
                    e[2] = Math.max(e[2], x + 1);
                    e[3] = Math.max(e[3], y + 1);
                }
            }
        }
        if (e[2] == 0) {
            throw new IllegalArgumentException("an object photograph has no pixel above " + OBJECT_THRESHOLD
                    + " at side " + side + "; it cannot be given a box");
        }
        return e;
    }

    private static void blend(float[] pixels, int size, float[] sprite, int side, int left, int top) {
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                float p = sprite[y * side + x];
                if (p > OBJECT_THRESHOLD) {
                    float alpha = Math.min(1f, 3f * p);
                    float tone = 0.25f + 0.75f * p;
                    int i = (top + y) * size + left + x;
                    pixels[i] = pixels[i] * (1 - alpha) + tone * alpha;
                }
            }
        }
    }

    private static double value(byte[] photo, int x, int y) {
        return (photo[y * FashionMnist.SIDE + x] & 0xFF) / 255.0;
    }

    private static void shuffle(List<Garment> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Garment t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
