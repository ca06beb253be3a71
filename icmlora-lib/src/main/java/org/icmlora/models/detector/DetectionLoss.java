package org.icmlora.models.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import org.icmlora.engine.Scalars;

/**
 * The training loss of the grid head: binary cross-entropy of every cell's objectness against the 0/1 target, plus
 * {@code boxWeight} times the L1 distance of the box numbers (sigmoid centre offsets, log sides) on the cells that hold
 * an object; both summed over the batch and divided by the number of objects, so that pictures with more objects do not
 * dominate and the many empty cells do not drown the few full ones.
 */
public final class DetectionLoss {

    private DetectionLoss() {}

    /**
     * The loss of a batch.
     *
     * @param head        detector output [B, cells, 5]
     * @param objectness  targets [B, cells] (0 or 1)
     * @param boxTargets  targets [B, cells, 4]
     * @param objects     number of cells with target 1 in the batch (the normaliser; 1 is used when there are none)
     * @param boxWeight   weight of the box term
     */
    public static NDArray compute(NDArray head, NDArray objectness, NDArray boxTargets, int objects, float boxWeight) {
        NDArray logits = head.get(new NDIndex(":, :, 0"));
        NDArray crossEntropy = Scalars.atLeast(logits, 0).sub(logits.mul(objectness))
                .add(logits.abs().neg().exp().add(1f).log());
        NDArray centre = Activation.sigmoid(head.get(new NDIndex(":, :, 1:3")));
        NDArray sides = head.get(new NDIndex(":, :, 3:5"));
        NDArray boxError = centre.sub(boxTargets.get(new NDIndex(":, :, 0:2"))).abs().sum(new int[] {2})
                .add(sides.sub(boxTargets.get(new NDIndex(":, :, 2:4"))).abs().sum(new int[] {2}));
        float normaliser = Math.max(1, objects);
        NDArray total = crossEntropy.sum().add(Scalars.times(boxError.mul(objectness).sum(), boxWeight));
        return Scalars.dividedBy(total, normaliser);
    }
}
