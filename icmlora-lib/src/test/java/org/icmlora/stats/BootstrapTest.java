package org.icmlora.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.icmlora.engine.Workers;
import org.icmlora.eval.DocumentScore;
import org.icmlora.tracks.Evaluation;
import org.icmlora.tracks.language.LanguageEvaluation;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    /** Documents with very different losses (item noise) whose loss per token is {@code base[i] + shift}. */
    private static Evaluation documents(double[] base, double shift) {
        List<DocumentScore> items = new ArrayList<>();
        for (double b : base) {
            items.add(new DocumentScore("doc" + items.size(), (b + shift) * 100, 100, 400));
        }
        return new LanguageEvaluation("d", "bytes", items);
    }

    private static double[] noisyBase(long seed, int n) {
        Random random = new Random(seed);
        double[] base = new double[n];
        for (int i = 0; i < n; i++) {
            base[i] = 1 + 2 * random.nextDouble();
        }
        return base;
    }

    @Test
    void summaryIsMeanAndSampleStandardDeviation() {
        Summary s = Summary.of(1, 2, 3);
        assertEquals(2, s.mean(), 1e-12);
        assertEquals(1, s.sd(), 1e-12);
        assertEquals(0, Summary.of(5).sd());
        assertEquals("2.000 ± 1.000", s.format(3));
    }

    /**
     * The interval as the bootstrap is defined, one replicate after another from one random source: draw the seeds,
     * then per task and drawn seed the items, then the statistic; percentiles of the sorted replicates.
     */
    private static double[] sequentialInterval(List<List<Evaluation>> a, List<List<Evaluation>> b, int resamples,
            long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] replicates = new double[resamples];
        int seeds = a.get(0).size();
        for (int r = 0; r < resamples; r++) {
            int[] drawn = new int[seeds];
            for (int s = 0; s < seeds; s++) {
                drawn[s] = random.nextInt(seeds);
            }
            double sum = 0;
            for (int t = 0; t < a.size(); t++) {
                double taskSum = 0;
                for (int s : drawn) {
                    int[] items = new int[a.get(t).get(s).items()];
                    for (int i = 0; i < items.length; i++) {
                        items[i] = random.nextInt(items.length);
                    }
                    taskSum += a.get(t).get(s).metric("bpc", items) - b.get(t).get(s).metric("bpc", items);
                }
                sum += taskSum / seeds;
            }
            replicates[r] = sum / a.size();
        }
        Arrays.sort(replicates);
        return new double[] {Bootstrap.quantile(replicates, 0.025), Bootstrap.quantile(replicates, 0.975)};
    }

    @Test
    void theIntervalIsTheSequentialBootstrapsWithAnyNumberOfWorkers() {
        List<List<Evaluation>> a = new ArrayList<>();
        List<List<Evaluation>> b = new ArrayList<>();
        for (int t = 0; t < 3; t++) { // three tasks, three seeds, item counts that differ between seeds
            List<Evaluation> ta = new ArrayList<>();
            List<Evaluation> tb = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                double[] base = noisyBase(10 * t + s, 20 + 7 * s);
                ta.add(documents(base, 0.02 * s));
                tb.add(documents(base, 0));
            }
            a.add(ta);
            b.add(tb);
        }
        double[] expected = sequentialInterval(a, b, 250, 7);
        int before = Workers.size();
        try {
            for (int workers : new int[] {1, 2, 3}) {
                Workers.setSize(workers);
                Interval d = new Bootstrap(250, 0.95, 7).difference(a, b, "bpc");
                assertEquals(expected[0], d.low(), 0, workers + " workers");
                assertEquals(expected[1], d.high(), 0, workers + " workers");
            }
        } finally {
            Workers.setSize(before);
        }
    }

    @Test
    void identicalMethodsDifferByExactlyZero() {
        List<Evaluation> a = List.of(documents(noisyBase(1, 30), 0), documents(noisyBase(2, 30), 0));
        Interval d = new Bootstrap(200, 0.95, 3).difference(List.of(a), List.of(a), "bpc");
        assertEquals(0, d.estimate());
        assertEquals(0, d.low());
        assertEquals(0, d.high());
        assertFalse(d.excludesZero());
    }

    @Test
    void pairingRemovesTheItemNoiseAConstantShiftSharesWithItsReference() {
        // every document 0.01 nats/token worse; documents differ by up to 2 nats/token among themselves
        List<Evaluation> reference = List.of(documents(noisyBase(1, 40), 0), documents(noisyBase(2, 40), 0),
                documents(noisyBase(3, 40), 0));
        List<Evaluation> worse = List.of(documents(noisyBase(1, 40), 0.01), documents(noisyBase(2, 40), 0.01),
                documents(noisyBase(3, 40), 0.01));
        Interval d = new Bootstrap(500, 0.95, 7).difference(List.of(worse), List.of(reference), "bpc");
        double expected = 0.01 * 100 / (Math.log(2) * 400);
        assertEquals(expected, d.estimate(), 1e-9);
        assertTrue(d.excludesZero(), "paired, the shift is certain: " + d);
        assertTrue(d.high() - d.low() < 1e-9, "and its interval has no width: " + d);
    }

    @Test
    void seedNoiseWidensTheIntervalAndNoEffectIsCalledNone() {
        // the same method under three seeds: one seed happens to be better, one worse
        List<Evaluation> a = List.of(documents(noisyBase(1, 40), 0.05), documents(noisyBase(2, 40), -0.05),
                documents(noisyBase(3, 40), 0.0));
        List<Evaluation> b = List.of(documents(noisyBase(1, 40), 0), documents(noisyBase(2, 40), 0),
                documents(noisyBase(3, 40), 0));
        Interval d = new Bootstrap(1000, 0.95, 11).difference(List.of(a), List.of(b), "ppl");
        assertTrue(d.contains(0), d.toString());
        assertTrue(d.high() - d.low() > 0.01, "the seeds' disagreement must show: " + d);
        assertEquals("A vs B, ppl: " + d.format(3) + ": indistinguishable at this size (the 95 % interval contains"
                + " 0).", Readings.difference("A", "B", "ppl", d, false, 3));
    }

    @Test
    void readingsNameBetterOrWorseFromTheDirectionOfTheMetric() {
        Interval lower = new Interval(-0.05, -0.08, -0.02, 0.95);
        assertTrue(Readings.difference("ICM-LoRA", "Original LoRA", "map50", lower, true, 2)
                .endsWith(": -0.05 [-0.08, -0.02]: lower, so ICM-LoRA is worse (the 95 % interval excludes 0)."));
        assertTrue(Readings.difference("ICM-LoRA", "Original Model", "ppl", lower, false, 2)
                .contains("lower, so ICM-LoRA is better"));
        assertEquals("consistent with the paper's -0.03", Readings.againstPaper(lower, -0.03, 2));
        assertEquals("unlike the paper's +0.01 (outside the interval)", Readings.againstPaper(lower, 0.01, 2));
        assertEquals("Consistent with the paper's -0.03.", Readings.againstPaperSentence(lower, -0.03, 2));
    }

    @Test
    void mismatchedDataAreRefused() {
        List<Evaluation> three = List.of(documents(noisyBase(1, 5), 0), documents(noisyBase(2, 5), 0),
                documents(noisyBase(3, 5), 0));
        Bootstrap bootstrap = new Bootstrap(100, 0.95, 1);
        assertThrows(IllegalArgumentException.class,
                () -> bootstrap.difference(List.of(three), List.of(three.subList(0, 2)), "ppl"));
        assertThrows(IllegalArgumentException.class, () -> bootstrap.difference(List.of(three),
                List.of(List.of(documents(noisyBase(1, 6), 0), three.get(1), three.get(2))), "ppl"));
        assertEquals(2.5, Bootstrap.quantile(new double[] {1, 2, 3, 4}, 0.5), 1e-12);
    }
}
