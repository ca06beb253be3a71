package org.icmlora.generate.soup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.icmlora.generate.Generators;
import org.icmlora.generate.core.LoraGenerator;
import org.icmlora.generate.core.SoupConfig;
import org.icmlora.generate.core.SyntheticAdapters;
import org.icmlora.generate.core.TrainingPair;
import org.icmlora.generate.core.TrainingSet;
import org.icmlora.lora.LoraLayout;
import org.icmlora.train.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSoupTest {

    private static final LoraLayout ONE_LAYER = new LoraLayout(1, 1f, List.of(new LoraLayout.Layer("w", 3, 3)));

    /** s * B * A of layer {@code l} of {@code v}, row-major [out][in]. */
    static double[][] delta(LoraLayout layout, float[] v, int l) {
        LoraLayout.Layer layer = layout.layers().get(l);
        int r = layout.rank();
        double[][] d = new double[layer.outFeatures()][layer.inFeatures()];
        for (int o = 0; o < layer.outFeatures(); o++) {
            for (int j = 0; j < layer.inFeatures(); j++) {
                for (int k = 0; k < r; k++) {
                    d[o][j] += layout.scaling() * v[layout.offsetOfB(l) + o * r + k]
                            * v[layout.offsetOfA(l) + k * layer.inFeatures() + j];
                }
            }
        }
        return d;
    }

    /** A = a (row), B = b (column) for the one-layer rank-1 layout. */
    static float[] rankOne(float[] a, float[] b) {
        float[] v = new float[6];
        System.arraycopy(a, 0, v, 0, 3);
        System.arraycopy(b, 0, v, 3, 3);
        return v;
    }

    @Test
    void keepsTheBestRankRApproximationOfTheMeanDeltaAndReportsWhatItLoses() {
        // deltas 3 e1 e1^T and 1 e2 e2^T: mean diag(1.5, 0.5, 0); best rank-1 approximation diag(1.5, 0, 0)
        List<TrainingPair> pairs = List.of(
                new TrainingPair("a", new float[] {1}, rankOne(new float[] {1, 0, 0}, new float[] {3, 0, 0})),
                new TrainingPair("b", new float[] {2}, rankOne(new float[] {0, 1, 0}, new float[] {0, 1, 0})));
        ModelSoup soup = new ModelSoup(SoupConfig.defaults());
        soup.fit(new TrainingSet(ONE_LAYER, pairs), TrainingRun.inMemory(1));
        double[][] d = delta(ONE_LAYER, soup.generate(new float[] {1}, 0), 0);
        assertArrayEquals(new double[] {1.5, 0, 0}, d[0], 1e-6);
        assertArrayEquals(new double[] {0, 0, 0}, d[1], 1e-6);
        assertEquals(0.5 / Math.sqrt(1.5 * 1.5 + 0.5 * 0.5), soup.truncationErrors().get("w"), 1e-9);
    }

    @Test
    void soupOfAllTasksEqualsTheMeanDeltaWhenThatFitsTheRankAndIsTheSameForEveryTask() {
        // every checkpoint shares A, so the mean delta is mean(B) A: rank r, represented exactly
        LoraLayout layout = SyntheticAdapters.layout();
        TrainingSet base = SyntheticAdapters.series(3, 4, 3);
        List<TrainingPair> pairs = new ArrayList<>();
        float[] first = base.pairs().get(0).adapter();
        for (TrainingPair p : base.pairs()) {
            float[] v = p.adapter().clone();
            for (int l = 0; l < 2; l++) {
                System.arraycopy(first, layout.offsetOfA(l), v, layout.offsetOfA(l), layout.offsetOfB(l)
                        - layout.offsetOfA(l));
            }
            pairs.add(new TrainingPair(p.taskId(), p.taskVector(), v));
        }
        TrainingSet data = new TrainingSet(layout, pairs);
        ModelSoup soup = new ModelSoup(SoupConfig.defaults());
        soup.fit(data, TrainingRun.inMemory(1));
        assertEquals(data.adapterLength(), soup.parameterCount(), "one soup for every task");
        float[] forTask0 = soup.generate(data.taskVector("task0"), 1);
        assertArrayEquals(forTask0, soup.generate(data.taskVector("task2"), 1));
        for (int l = 0; l < 2; l++) {
            double[][] expected = new double[10][12];
            for (TrainingPair p : pairs) {
                double[][] d = delta(layout, p.adapter(), l);
                for (int o = 0; o < 10; o++) {
                    for (int j = 0; j < 12; j++) {
                        expected[o][j] += d[o][j] / pairs.size();
                    }
                }
            }
            double[][] actual = delta(layout, forTask0, l);
            for (int o = 0; o < 10; o++) {
                assertArrayEquals(expected[o], actual[o], 1e-5);
            }
        }
        assertTrue(soup.truncationErrors().values().stream().allMatch(e -> e < 1e-6), soup.truncationErrors()
                .toString());
    }

    @Test
    void averagingTheFactorsIsNotAveragingTheProducts() {
        List<TrainingPair> pairs = List.of(
                new TrainingPair("a", new float[] {1}, rankOne(new float[] {1, 0, 0}, new float[] {1, 0, 0})),
                new TrainingPair("a", new float[] {1}, rankOne(new float[] {0, 1, 0}, new float[] {0, 1, 0})));
        ModelSoup factors = new ModelSoup(new SoupConfig(SoupConfig.Scope.ALL_TASKS, SoupConfig.Averaging.FACTORS));
        factors.fit(new TrainingSet(ONE_LAYER, pairs), TrainingRun.inMemory(1));
        float[] v = factors.generate(new float[] {1}, 0);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0, 0.5f, 0.5f, 0}, v);
        // mean(B) mean(A) has 0.25 everywhere in the top-left 2x2 block; mean(B A) = diag(0.5, 0.5, 0)
        assertEquals(0.25, delta(ONE_LAYER, v, 0)[0][1], 1e-7);
    }

    @Test
    void perTaskSoupServesEachTaskItsOwnMeanAndSurvivesSaveAndLoad(@TempDir Path dir) {
        TrainingSet data = SyntheticAdapters.series(4, 5, 21);
        ModelSoup soup = new ModelSoup(new SoupConfig(SoupConfig.Scope.PER_TASK, SoupConfig.Averaging.FACTORS));
        soup.fit(data, TrainingRun.inMemory(1));
        double[] distances = SyntheticAdapters.ownVersusOther(data, task -> soup.generate(data.taskVector(task), 1));
        assertEquals(0, distances[0], 1e-5);
        assertEquals(4L * data.adapterLength(), soup.parameterCount(), "one stored soup per task");
        long bytes = soup.save(dir.resolve("soup"));
        assertTrue(bytes > 4L * 4 * data.adapterLength(), "four stored soups of P floats");
        try (LoraGenerator loaded = Generators.load(dir.resolve("soup"))) {
            assertArrayEquals(data.meanAdapter("task3"), loaded.generate(data.taskVector("task3"), 7), 1e-6f);
        }
    }

    @Test
    void svdReconstructsARandomMatrix() {
        Random random = new Random(4);
        double[][] m = new double[5][7];
        for (double[] row : m) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextGaussian();
            }
        }
        Svd svd = Svd.of(m);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 7; j++) {
                double sum = 0;
                for (int k = 0; k < svd.sigma().length; k++) {
                    sum += svd.u()[i][k] * svd.sigma()[k] * svd.v()[j][k];
                }
                assertEquals(m[i][j], sum, 1e-10);
            }
        }
        for (int k = 1; k < svd.sigma().length; k++) {
            assertTrue(svd.sigma()[k - 1] >= svd.sigma()[k]);
        }
    }
}
