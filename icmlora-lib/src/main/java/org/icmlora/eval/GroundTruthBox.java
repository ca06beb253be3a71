package org.icmlora.eval;

import org.icmlora.data.scenes.Box;

/**
 * A ground-truth box as COCO sees it. A crowd box ({@code iscrowd}) or an ignored one counts neither as found nor as
 * missed: a detection matched to it is dropped from the ranking instead of being a true or false positive. A crowd box
 * may absorb any number of detections and its overlap is measured as intersection over the detection's area.
 */
public record GroundTruthBox(Box box, boolean crowd, boolean ignored) {

    /** An ordinary box that must be found. */
    public static GroundTruthBox of(Box box) {
        return new GroundTruthBox(box, false, false);
    }

    /** A crowd region ({@code iscrowd = 1}). */
    public static GroundTruthBox crowd(Box box) {
        return new GroundTruthBox(box, true, true);
    }

    /** A box that is ignored (e.g. outside the evaluated area range) but otherwise ordinary. */
    public static GroundTruthBox ignored(Box box) {
        return new GroundTruthBox(box, false, true);
    }

    /** True when this box takes no part in the counts ({@code _ignore} in pycocotools). */
    public boolean isIgnored() {
        return crowd || ignored;
    }
}
