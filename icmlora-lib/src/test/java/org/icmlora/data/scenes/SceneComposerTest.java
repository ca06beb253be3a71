package org.icmlora.data.scenes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scene composition on tiny synthetic "photographs" whose object pixels are known exactly. */
class SceneComposerTest {

    /** A 28x28 image that is 255 on rows top..bottom-1 and columns left..right-1, 0 elsewhere. */
    private static byte[] rectangle(int left, int top, int right, int bottom) {
        byte[] image = new byte[28 * 28];
        for (int y = top; y < bottom; y++) {
            for (int x = left; x < right; x++) {
                image[y * 28 + x] = (byte) 255;
            }
        }
        return image;
    }

    private static ObjectBank bank() {
        Map<Garment, List<byte[]>> images = new EnumMap<>(Garment.class);
        for (Garment g : Garment.values()) {
            images.put(g, List.of(rectangle(10, 7, 18, 21), rectangle(2, 2, 26, 26)));
        }
        return new ObjectBank(images);
    }

    private static Set<Garment> othersThan(Garment garment) {
        Set<Garment> others = EnumSet.allOf(Garment.class);
        others.remove(garment);
        return others;
    }

    @Test
    void sameSeedGivesTheSamePictureAndBoxes() {
        SceneComposer composer = new SceneComposer(bank(), new CompositionSettings(64, 14, 28, 2, 1, 3, 0.1, 0.2));
        Scene a = composer.compose(42, Garment.BAG, othersThan(Garment.BAG));
        Scene b = composer.compose(42, Garment.BAG, othersThan(Garment.BAG));
        Scene c = composer.compose(43, Garment.BAG, othersThan(Garment.BAG));
        assertArrayEquals(a.pixels(), b.pixels());
        assertEquals(a.objects(), b.objects());
        assertFalse(java.util.Arrays.equals(a.pixels(), c.pixels()));
    }

    @Test
    void boxesAreTheExactExtentOfTheObjectPixels() {
        // Unscaled (side 28), no distractors: the rectangle 10..17 x 7..20 must land exactly in its box, at tone 1.
        SceneComposer composer = new SceneComposer(new ObjectBank(Map.of(Garment.SNEAKER,
                List.of(rectangle(10, 7, 18, 21)))), new CompositionSettings(48, 28, 28, 1, 0, 0, 0, 0.2));
        for (long seed = 0; seed < 20; seed++) {
            Scene scene = composer.compose(seed, Garment.SNEAKER, Set.of());
            assertEquals(1, scene.objects().size());
            Box box = scene.objects().get(0).box();
            assertEquals(8, box.width(), 0);
            assertEquals(14, box.height(), 0);
            for (int y = (int) box.y1(); y < box.y2(); y++) {
                for (int x = (int) box.x1(); x < box.x2(); x++) {
                    assertEquals(1f, scene.pixel(x, y), 0f, "object pixel at " + x + "," + y);
                }
            }
            // Just outside the box the background shows (backgrounds never exceed 0.6).
            int outside = (int) box.x2();
            if (outside < 48) {
                assertTrue(scene.pixel(outside, (int) box.y1()) <= 0.6f);
            }
        }
    }

    @Test
    void scaledObjectsKeepTheirProportionsAndStayInside() {
        SceneComposer composer = new SceneComposer(new ObjectBank(Map.of(Garment.DRESS,
                List.of(rectangle(0, 0, 28, 28)))), new CompositionSettings(64, 14, 14, 1, 0, 0, 0, 0.2));
        Box box = composer.compose(5, Garment.DRESS, Set.of()).objects().get(0).box();
        assertEquals(14, box.width(), 0);
        assertEquals(14, box.height(), 0);
        assertTrue(box.x1() >= 0 && box.y1() >= 0 && box.x2() <= 64 && box.y2() <= 64);
    }

    @Test
    void targetsDistractorsAndOverlapFollowTheSettings() {
        CompositionSettings settings = new CompositionSettings(64, 14, 28, 2, 1, 3, 0.0, 0.2);
        SceneComposer composer = new SceneComposer(bank(), settings);
        for (long seed = 0; seed < 50; seed++) {
            Scene scene = composer.compose(seed, Garment.COAT, othersThan(Garment.COAT));
            long targets = scene.objects().stream().filter(o -> o.garment() == Garment.COAT).count();
            assertTrue(targets >= 1 && targets <= 2, "targets " + targets);
            assertTrue(scene.objects().size() - targets <= 3);
            List<SceneObject> objects = scene.objects();
            for (int i = 0; i < objects.size(); i++) {
                for (int j = i + 1; j < objects.size(); j++) {
                    assertTrue(objects.get(i).box().iou(objects.get(j).box()) <= 0.2);
                }
            }
            for (float p : scene.pixels()) {
                assertTrue(p >= 0 && p <= 1);
            }
        }
    }

    @Test
    void theTargetCannotBeItsOwnDistractorAndMissingClassesAreNamed() {
        SceneComposer composer = new SceneComposer(new ObjectBank(Map.of(Garment.BAG, List.of(rectangle(0, 0, 5, 5)))),
                new CompositionSettings(32, 10, 16, 1, 1, 1, 0, 0.2));
        assertThrows(IllegalArgumentException.class, () -> composer.compose(1, Garment.BAG, Set.of(Garment.BAG)));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> composer.compose(1, Garment.BAG, Set.of(Garment.SANDAL)));
        assertTrue(missing.getMessage().contains("SANDAL"));
    }

    @Test
    void garmentsHavePromptsAndParse() {
        assertEquals("Detect the ankle boot in the picture.", Garment.ANKLE_BOOT.prompt());
        assertEquals(Garment.ANKLE_BOOT, Garment.parse("ankle-boot"));
        assertEquals(Garment.T_SHIRT, Garment.parse("T-shirt"));
        assertEquals(Garment.SNEAKER, Garment.ofLabel(7));
    }
}
