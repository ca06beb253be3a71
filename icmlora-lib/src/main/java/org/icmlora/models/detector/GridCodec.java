package org.icmlora.models.detector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.icmlora.data.scenes.Box;
import org.icmlora.eval.ScoredBox;

/**
 * Translates between boxes and the detector's grid output. Each cell of the S/8 x S/8 grid predicts 5 numbers:
 * {@code [objectness logit, tx, ty, tw, th]}; the box centre is {@code ((col + sigmoid(tx)) * 8, (row + sigmoid(ty)) * 8)}
 * and its sides {@code anchor * exp(tw)}, {@code anchor * exp(th)}. A ground-truth box is assigned to the cell that
 * contains its centre (the larger box wins when two share a cell).
 */
public final class GridCodec {

    /** Numbers per cell. */
    public static final int OUTPUTS = 5;
    private static final double MAX_LOG_SIZE = 4;

    private final DetectorConfig config;

    /** A codec for detectors of the given shape. */
    public GridCodec(DetectorConfig config) {
        this.config = config;
    }

    /**
     * Writes the training targets of one image: {@code objectness[cell]} is 1 where a box is centred, else 0;
     * {@code boxTargets[cell * 4 ..]} holds the centre's fraction inside the cell (x, y) and log(side / anchor)
     * (w, h) for those cells. {@code cellOffset} is where this image's cells start in both arrays (cells, not values).
     */
    public void encode(List<Box> boxes, float[] objectness, float[] boxTargets, int cellOffset) {
        int grid = config.gridSize();
        double[] assignedArea = new double[config.cells()];
        for (Box box : boxes) {
            double cx = box.centerX() / DetectorConfig.STRIDE;
            double cy = box.centerY() / DetectorConfig.STRIDE;
            int col = Math.min(grid - 1, (int) Math.floor(cx));
            int row = Math.min(grid - 1, (int) Math.floor(cy));
            int cell = row * grid + col;
            if (box.area() <= assignedArea[cell]) {
                continue;
            }
            assignedArea[cell] = box.area();
            objectness[cellOffset + cell] = 1;
            int t = (cellOffset + cell) * 4;
            boxTargets[t] = (float) (cx - col);
            boxTargets[t + 1] = (float) (cy - row);
            boxTargets[t + 2] = (float) Math.log(Math.max(box.width(), 1) / config.anchorSize());
            boxTargets[t + 3] = (float) Math.log(Math.max(box.height(), 1) / config.anchorSize());
        }
    }

    /**
     * The detections of one image from its head output ({@code cells * 5} values starting at {@code offset}): every
     * cell whose score sigmoid(objectness) is at least {@code minScore}, clipped to the picture, then non-maximum
     * suppression at {@code nmsIou}, at most {@code maxDetections}, best first.
     */
    public List<ScoredBox> decode(float[] head, int offset, double minScore, double nmsIou, int maxDetections) {
        int grid = config.gridSize();
        double size = config.imageSize();
        List<ScoredBox> candidates = new ArrayList<>();
        for (int cell = 0; cell < config.cells(); cell++) {
            int i = offset + cell * OUTPUTS;
            double score = sigmoid(head[i]);
            if (score < minScore) {
                continue;
            }
            double cx = (cell % grid + sigmoid(head[i + 1])) * DetectorConfig.STRIDE;
            double cy = (cell / grid + sigmoid(head[i + 2])) * DetectorConfig.STRIDE;
            double w = config.anchorSize() * Math.exp(clamp(head[i + 3]));
            double h = config.anchorSize() * Math.exp(clamp(head[i + 4]));
            Box box = new Box(Math.max(0, cx - w / 2), Math.max(0, cy - h / 2), Math.min(size, cx + w / 2),
                    Math.min(size, cy + h / 2));
            candidates.add(new ScoredBox(box, score));
        }
        return suppress(candidates, nmsIou, maxDetections);
    }

    /** Greedy non-maximum suppression: keep the best box, drop those overlapping it by more than {@code iou}, repeat. */
    public static List<ScoredBox> suppress(List<ScoredBox> boxes, double iou, int maxDetections) {
        List<ScoredBox> sorted = new ArrayList<>(boxes);
        sorted.sort(Comparator.comparingDouble((ScoredBox b) -> -b.score()));
        List<ScoredBox> kept = new ArrayList<>();
        for (ScoredBox candidate : sorted) {
            if (kept.size() == maxDetections) {
                break;
            }
            if (kept.stream().allMatch(k -> k.box().iou(candidate.box()) <= iou)) {
                kept.add(candidate);
            }
        }
        return kept;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double clamp(double logSize) {
        return Math.max(-MAX_LOG_SIZE, Math.min(MAX_LOG_SIZE, logSize));
    }
}
