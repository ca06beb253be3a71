package org.icmlora.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorProfileTest {

    /** conv1d (100 us) calls _convolution (90) which calls mkldnn_convolution (80); then a backward of 200 us. */
    private static final String TRACE = """
            [
             {"name": "aten::conv1d", "ph": "X", "ts": 0, "dur": 100, "tid": 1, "shape": [[2, 8, 16], [4, 8, 3]]},
             {"name": "aten::_convolution", "ph": "X", "ts": 5, "dur": 90, "tid": 1, "shape": [[2, 8, 16], [4, 8, 3]]},
             {"name": "aten::mkldnn_convolution", "ph": "X", "ts": 10, "dur": 80, "tid": 1,
              "shape": [[2, 8, 1, 16], [4, 8, 1, 3]]},
             {"name": "aten::add", "ph": "X", "ts": 120, "dur": 10, "tid": 1, "shape": [[2], [2]]},
             {"name": "aten::convolution_backward", "ph": "X", "ts": 150, "dur": 200, "tid": 1,
              "shape": [[2, 4, 14], [2, 8, 16], [4, 8, 3]]},
             {"name": "aten::add", "ph": "X", "ts": 160, "dur": 30, "tid": 1, "shape": [[2], [2]]},
             {"name": "process_name", "ph": "M", "pid": 1}
            ]
            """;

    @Test
    void selfTimeIsDurationLessDirectChildrenAndSumsToTheTopLevelTime() {
        OperatorProfile profile = OperatorProfile.parse(TRACE);
        assertEquals(List.of(new OperatorProfile.Operator("aten::convolution_backward", 170, 1),
                new OperatorProfile.Operator("aten::mkldnn_convolution", 80, 1),
                new OperatorProfile.Operator("aten::add", 40, 2),
                new OperatorProfile.Operator("aten::conv1d", 10, 1),
                new OperatorProfile.Operator("aten::_convolution", 10, 1)), profile.operators());
        assertEquals(100 + 10 + 200, profile.totalMicros(), 1e-9);
    }

    @Test
    void convolutionsJoinForwardAndBackwardByShapesAndCountTheirWork() {
        OperatorProfile.Convolution c = OperatorProfile.parse(TRACE).convolutions().get(0);
        assertEquals(List.of(2L, 8L, 16L), c.input());
        assertEquals(List.of(4L, 8L, 3L), c.weight());
        assertEquals(14, c.outputLength());
        assertEquals(90, c.forwardMicros(), 1e-9);
        assertEquals(200, c.backwardMicros(), 1e-9);
        assertEquals(1, c.calls());
        assertEquals(2 * 4 * 8 * 3 * 14, c.multiplyAdds());
    }
}
