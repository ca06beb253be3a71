package org.icmlora.generate.cvae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.icmlora.engine.KitEngine;
import org.icmlora.config.Profiles;
import org.icmlora.generate.core.CvaeConfig;
import org.junit.jupiter.api.Test;

class CvaeArchitectureTest {

    private static final CvaeConfig PAPER = Profiles.bind("full", "cvae", CvaeConfig.class);

    @Test
    void depthTwelveIsTheReferenceNetwork() {
        CvaeArchitecture plan = CvaeArchitecture.plan(PAPER, 10_000);
        assertArrayEquals(new int[] {8, 16, 32, 64, 128, 256, 256, 128, 64, 32, 16, 8}, plan.channels());
        assertEquals(12, plan.stridedLayers());
        assertEquals(12_288, plan.paddedLength(), "padded to a multiple of 4096 as the reference");
        assertEquals(3, plan.bottleneckLength());
        assertEquals(16, plan.decoderOutChannels(0));
        assertEquals(8, plan.decoderOutChannels(11));
        assertEquals(2, plan.decoderStride(0));
    }

    @Test
    void otherDepthsFollowTheDoublingRampRuleWithACap() {
        assertArrayEquals(new int[] {8, 16, 32, 64, 128, 128, 64, 32, 16, 8},
                CvaeArchitecture.plan(PAPER.withDepth(10), 100_000).channels());
        assertArrayEquals(new int[] {8, 16, 32, 64, 128, 256, 256, 256, 128, 64, 32, 16, 8},
                CvaeArchitecture.plan(PAPER.withDepth(13), 100_000).channels());
    }

    @Test
    void layersBeyondWhatTheLengthNeedsKeepStrideOneInsteadOfPaddingToTwoToTheN() {
        CvaeArchitecture plan = CvaeArchitecture.plan(PAPER.withDepth(20), 10_000);
        assertEquals(14, plan.stridedLayers(), "2^14 = 16384 >= 10000");
        assertEquals(16_384, plan.paddedLength(), "not 2^20 = 1,048,576");
        assertEquals(1, plan.bottleneckLength());
        assertEquals(2, plan.encoderStride(13));
        assertEquals(1, plan.encoderStride(14));
        assertEquals(1, plan.decoderStride(5));
        assertEquals(2, plan.decoderStride(6));
    }

    @Test
    void forwardShapesAgreeForABatchLargerThanOne() {
        CvaeArchitecture plan = CvaeArchitecture.plan(CvaeGeneratorTest.tiny(1), 88);
        try (NDManager manager = KitEngine.newManager()) {
            CvaeModel model = new CvaeModel(plan, 16, 6);
            model.initialize(manager);
            NDArray x = manager.randomNormal(new Shape(3, plan.paddedLength()));
            NDList out = model.forward(new ParameterStore(manager, false),
                    new NDList(x, manager.randomNormal(new Shape(3, 6)), manager.randomNormal(new Shape(3, 16))), true);
            assertEquals(new Shape(3, 96), out.get(0).getShape(), "88 padded to a multiple of 2^4");
            assertEquals(new Shape(3, 16), out.get(1).getShape());
            assertEquals(new Shape(3, 16), out.get(2).getShape());
        }
    }
}
