package org.icmlora.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.icmlora.experiments.heldout.RecoveredShare.Interval;
import org.junit.jupiter.api.Test;

/** The held-out readings say what an interval supports and nothing more. */
class HeldOutReadingsTest {

    private static Interval interval(double low, double high) {
        return new Interval((low + high) / 2, low, high, 6);
    }

    @Test
    void aShareIsReadAgainstNoAdapterAndFineTuning() {
        assertEquals("worse than no adapter", HeldOutExperiment.verdict(interval(-0.6, -0.1)));
        assertEquals("not distinguishable from no adapter", HeldOutExperiment.verdict(interval(-0.2, 0.4)));
        assertEquals("better than no adapter and short of fine-tuning", HeldOutExperiment.verdict(interval(0.1, 0.8)));
        assertEquals("better than no adapter and not distinguishable from fine-tuning",
                HeldOutExperiment.verdict(interval(0.6, 1.2)));
        assertEquals("too uncertain to tell from either no adapter or fine-tuning",
                HeldOutExperiment.verdict(interval(-0.5, 1.5)));
        assertEquals("undefined (fine-tuning does not improve on the base model over these tasks)",
                HeldOutExperiment.verdict(new Interval(Double.NaN, Double.NaN, Double.NaN, 6)));
    }

    @Test
    void aDifferenceNamesAWinnerOnlyWhenTheIntervalExcludesZero() {
        assertEquals("ICM-LoRA recovers more", HeldOutExperiment.comparison(interval(0.05, 0.3), "ICM-LoRA", "soup"));
        assertEquals("soup recovers more", HeldOutExperiment.comparison(interval(-0.3, -0.01), "ICM-LoRA", "soup"));
        assertEquals("indistinguishable at this number of tasks",
                HeldOutExperiment.comparison(interval(-0.1, 0.2), "ICM-LoRA", "soup"));
    }
}
