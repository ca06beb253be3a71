package org.icmlora.experiments.heldout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.icmlora.stats.Bootstrap;
import org.icmlora.stats.Interval;
import org.junit.jupiter.api.Test;

class RecoveredShareTest {

    private static final RecoveredShare SHARES = new RecoveredShare(new Bootstrap(10_000, 0.95, 42));

    @Test
    void oneTasksShareOnHandComputedCases() {
        assertEquals(0.5, RecoveredShare.of(0.3, 0.1, 0.5, true), 1e-12, "mAP50: 0.2 of a 0.4 gain");
        assertEquals(-0.25, RecoveredShare.of(0.0, 0.1, 0.5, true), 1e-12, "worse than no adapter");
        assertEquals(1.5, RecoveredShare.of(0.7, 0.1, 0.5, true), 1e-12, "better than the oracle");
        assertEquals(0.25, RecoveredShare.of(3.75, 4.0, 3.0, false), 1e-12, "BPC: lower is better");
        assertTrue(Double.isNaN(RecoveredShare.of(0.3, 0.5, 0.5, true)), "no gain to recover");
        assertTrue(Double.isNaN(RecoveredShare.of(0.3, 0.5, 0.4, true)), "the oracle is worse than the base");
        assertTrue(Double.isNaN(RecoveredShare.of(3.0, 3.0, 3.2, false)), "the oracle is worse (BPC)");
    }

    @Test
    void overTasksIsTheRatioOfSummedGains() {
        Interval map = SHARES.overTasks(new double[] {0.3, 0.2}, new double[] {0.1, 0.0}, new double[] {0.5, 0.1},
                true).orElseThrow();
        assertEquals(0.4 / 0.5, map.estimate(), 1e-12, "(0.2 + 0.2) / (0.4 + 0.1), not the mean of 0.5 and 2");
        assertEquals(map.estimate(), RecoveredShare.estimate(new double[] {0.3, 0.2}, new double[] {0.1, 0.0},
                new double[] {0.5, 0.1}, true), 1e-12);
        Interval bpc = SHARES.overTasks(new double[] {3.5, 3.0}, new double[] {4.0, 3.0}, new double[] {3.0, 2.5},
                false).orElseThrow();
        assertEquals(1 / 3.0, bpc.estimate(), 1e-12, "(-0.5 + 0) / (-1 - 0.5)");
        Interval difference = SHARES.differenceOverTasks(new double[] {3.5, 3.0}, new double[] {4.0, 2.5},
                new double[] {4.0, 3.0}, new double[] {3.0, 2.5}, false).orElseThrow();
        assertEquals(0, difference.estimate(), 1e-12, "(-0.5 + 0.5) / -1.5");
        assertTrue(SHARES.overTasks(new double[] {0.3}, new double[] {0.5}, new double[] {0.4}, true).isEmpty(),
                "the oracle gains nothing: no share");
        assertTrue(Double.isNaN(RecoveredShare.estimate(new double[] {0.3}, new double[] {0.5}, new double[] {0.4},
                true)));
        assertThrows(IllegalArgumentException.class, () -> SHARES.overTasks(new double[] {1}, new double[] {1, 2},
                new double[] {1}, true));
    }

    @Test
    void intervalMatchesTheExactBootstrapDistribution() {
        double[] method = {0, 0.2, 0.6, 1.4};
        double[] base = new double[4];
        double[] oracle = {1, 1, 1, 1};
        // with unit gains the share of a resample is its mean; the exact bootstrap distribution is the means of all
        // 4^4 equally likely resamples of the four tasks
        double[] means = new double[256];
        for (int r = 0; r < 256; r++) {
            means[r] = (method[r & 3] + method[(r >> 2) & 3] + method[(r >> 4) & 3] + method[(r >> 6) & 3]) / 4;
        }
        Arrays.sort(means);
        Interval interval = SHARES.overTasks(method, base, oracle, true).orElseThrow();
        assertEquals(0.55, interval.estimate(), 1e-12);
        // resampled means move in steps of 0.05: the Monte Carlo interval may miss the exact one by one step at most
        assertEquals(Bootstrap.quantile(means, 0.025), interval.low(), 0.05 + 1e-9, interval.toString());
        assertEquals(Bootstrap.quantile(means, 0.975), interval.high(), 0.05 + 1e-9, interval.toString());
        assertTrue(interval.low() < interval.estimate() && interval.estimate() < interval.high(), interval.toString());
        assertEquals(interval, SHARES.overTasks(method, base, oracle, true).orElseThrow(), "same seed, same interval");
    }

    @Test
    void equalTasksHaveAnIntervalWithoutWidth() {
        Interval interval = SHARES.overTasks(new double[] {0.3, 0.3}, new double[] {0.1, 0.1},
                new double[] {0.5, 0.5}, true).orElseThrow();
        assertEquals(0.5, interval.low(), 1e-12);
        assertEquals(0.5, interval.high(), 1e-12);
    }
}
