package org.icmlora.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plateau rule on hand-made loss curves. */
class PlateauTest {

    private static List<Map<String, Double>> curve(double... losses) {
        List<Map<String, Double>> history = new ArrayList<>();
        for (double loss : losses) {
            history.add(Map.of("mse", loss));
        }
        return history;
    }

    @Test
    void stopsWhenTheLastWindowFallsByLessThanTheTolerance() {
        Plateau rule = new Plateau("mse", 1, 2, 0.1);
        assertFalse(rule.reached(curve(4, 4, 2, 2)), "halved: still falling");
        assertTrue(rule.reached(curve(4, 4, 3.8, 3.8)), "5 % lower: flat at a 10 % tolerance");
        assertTrue(rule.reached(curve(1, 1, 2, 2)), "rising counts as flat");
        assertTrue(rule.reached(curve(10, 4, 4, 3.8, 3.8)), "only the last two windows count");
    }

    @Test
    void needsTwoWindowsAndTheMinimumEpochs() {
        assertFalse(new Plateau("mse", 1, 3, 0.1).reached(curve(1, 1, 1, 1, 1)), "five epochs, two windows of 3");
        assertFalse(new Plateau("mse", 6, 1, 0.1).reached(curve(1, 1, 1, 1, 1)), "below the minimum");
        assertTrue(new Plateau("mse", 5, 1, 0.1).reached(curve(1, 1, 1, 1, 1)));
    }

    @Test
    void windowedMeansIgnoreSingleNoisyEpochs() {
        Plateau rule = new Plateau("mse", 1, 3, 0.05);
        assertFalse(rule.reached(curve(3, 1, 3, 2, 0.5, 2)), "window means 2.33 -> 1.5: falling despite the spikes");
    }

    @Test
    void badSettingsAndAMissingLossPartAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> new Plateau("mse", 1, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Plateau("mse", 1, 2, 1.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Plateau("kl", 1, 1, 0.1).reached(curve(1, 1)));
        assertTrue(e.getMessage().contains("'kl'") && e.getMessage().contains("[mse]"), e.getMessage());
    }
}
