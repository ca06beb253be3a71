package org.icmlora.models.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmEncoderTest {

    private static MiniLmEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = new MiniLmEncoder();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void embeddingHas384UnitLengthValues() {
        float[] e = encoder.embed("Detect the sneaker in the picture.");
        assertEquals(MiniLmEncoder.DIMENSION, e.length);
        assertEquals(1.0, MiniLmEncoder.cosine(e, e), 1e-5);
    }

    @Test
    void similarPromptsAreCloserThanUnrelatedText() {
        float[] sneaker = encoder.embed("Detect the sneaker in the picture.");
        float[] shoe = encoder.embed("Find the running shoe in the image.");
        float[] unrelated = encoder.embed("The central bank raised interest rates by half a percent.");
        double near = MiniLmEncoder.cosine(sneaker, shoe);
        double far = MiniLmEncoder.cosine(sneaker, unrelated);
        assertTrue(near > far + 0.2, "similar " + near + " vs unrelated " + far);
    }

    @Test
    void sameTextGivesTheSameEmbedding() {
        assertArrayEquals(encoder.embed("Detect the bag in the picture."), encoder.embed("Detect the bag in the picture."));
    }

    @Test
    void blankTextIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> encoder.embed("  "));
    }
}
