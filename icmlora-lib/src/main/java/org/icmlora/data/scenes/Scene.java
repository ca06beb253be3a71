package org.icmlora.data.scenes;

import java.util.List;

/**
 * One composed grey-scale picture and every object in it.
 *
 * @param size    width and height in pixels (scenes are square)
 * @param pixels  {@code size * size} intensities in [0, 1], row-major
 * @param objects every placed garment with its box, in drawing order (later ones lie on top)
 */
public record Scene(int size, float[] pixels, List<SceneObject> objects) {

    public Scene {
        if (pixels.length != size * size) {
            throw new IllegalArgumentException("a " + size + "x" + size + " scene needs " + size * size
                    + " pixels, got " + pixels.length);
        }
        objects = List.copyOf(objects);
    }

    /** The boxes of every object of {@code garment}: the ground truth when the prompt names it. */
    public List<Box> boxesOf(Garment garment) {
        return objects.stream().filter(o -> o.garment() == garment).map(SceneObject::box).toList();
    }

    /** Intensity at column {@code x}, row {@code y}. */
    public float pixel(int x, int y) {
        return pixels[y * size + x];
    }
}
