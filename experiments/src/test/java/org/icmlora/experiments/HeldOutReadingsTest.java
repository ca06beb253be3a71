package org.icmlora.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.icmlora.stats.Interval;
import org.junit.jupiter.api.Test;

/** The held-out readings say what an interval supports and nothing more. */
class HeldOutReadingsTest {

    private static Optional<Interval> share(double low, double high) {
        return Optional.of(new Interval((low + high) / 2, low, high, 0.95));
    }

    @Test
    void aShareIsReadAgainstNoAdapterAndFineTuning() {
        assertEquals("worse than no adapter", HeldOutExperiment.verdict(share(-0.6, -0.1)));
        assertEquals("not distinguishable from no adapter", HeldOutExperiment.verdict(share(-0.2, 0.4)));
        assertEquals("better than no adapter and short of fine-tuning", HeldOutExperiment.verdict(share(0.1, 0.8)));
        assertEquals("better than no adapter and not distinguishable from fine-tuning",
                HeldOutExperiment.verdict(share(0.6, 1.2)));
        assertEquals("too uncertain to tell from either no adapter or fine-tuning",
                HeldOutExperiment.verdict(share(-0.5, 1.5)));
        assertEquals("undefined (fine-tuning does not improve on the base model over these tasks)",
                HeldOutExperiment.verdict(Optional.empty()));
    }
}
