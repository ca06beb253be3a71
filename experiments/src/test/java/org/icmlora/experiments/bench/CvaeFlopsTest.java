package org.icmlora.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.icmlora.generate.core.AdapterNormalizer;
import org.icmlora.generate.core.CvaeConfig;
import org.icmlora.generate.cvae.CvaeArchitecture;
import org.junit.jupiter.api.Test;

class CvaeFlopsTest {

    @Test
    void countsAHandWorkedTwoLayerNetwork() {
        // depth 2, channels 2, 2, length 8: both encoder layers have stride 2, the bottleneck is [2, 2]
        CvaeConfig config = new CvaeConfig(2, 3, 2, 4, 0.005f, 1, 2, 1e-3f, 0f, CvaeConfig.Schedule.CONSTANT,
                AdapterNormalizer.Scheme.PER_TENSOR);
        CvaeFlops flops = CvaeFlops.of(CvaeArchitecture.plan(config, 8), 3, 2);
        // multiply-adds: conv 1->2 k7 to length 4: 56; conv 2->2 to length 2: 56; head 4->3: 12; fc_mu and
        // fc_logvar 5->3: 30; decoder input 5->4: 20; transposed convs 2->2 from length 2 and 4: 56 + 112; output
        // conv 2->1 at length 8: 112
        assertEquals(2 * (56 + 56 + 12 + 30), flops.encoder());
        assertEquals(2 * (20 + 56 + 112 + 112), flops.decoder());
        assertEquals(2 * 56, flops.firstLayer());
        assertEquals(2 * 454, flops.forward());
        assertEquals(3 * 908 - 112, flops.training(), "no input gradient for the first layer");
        assertEquals(flops.decoder(), flops.generation());
    }

    @Test
    void thePapersNetworkCostsAboutTwoPointThreeGflopPerTrainingSampleAt16384Values() {
        CvaeConfig paper = CvaeBenchmark.paperProfile().cvae();
        CvaeFlops flops = CvaeFlops.of(CvaeArchitecture.plan(paper, 16_384), paper.latentDim(), 384);
        assertEquals(2.3, flops.training() / 1e9, 0.05);
        CvaeFlops four = CvaeFlops.of(CvaeArchitecture.plan(paper, 65_536), paper.latentDim(), 384);
        assertEquals(4.0, four.training() / (double) flops.training(), 0.01, "convolutions scale with the length");
    }
}
