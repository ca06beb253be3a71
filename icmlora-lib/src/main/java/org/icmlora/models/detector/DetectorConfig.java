package org.icmlora.models.detector;

/**
 * The shape of a {@link PromptDetector}.
 *
 * @param imageSize  side of the square grey-scale input in pixels; a multiple of 8 (the backbone's stride)
 * @param stemWidth  channels of the first convolution (the second has twice as many, the last two {@code dim})
 * @param dim        width of the tokens (grid cells and prompt) in the transformer blocks
 * @param heads      attention heads; must divide {@code dim}
 * @param blocks     number of transformer blocks
 * @param mlpWidth   hidden width of each block's MLP
 * @param promptDim  length of the prompt embedding (384 for MiniLM)
 * @param anchorSize box side (pixels) that a zero size prediction means; predicted sides are anchor * exp(t)
 */
public record DetectorConfig(int imageSize, int stemWidth, int dim, int heads, int blocks, int mlpWidth, int promptDim,
        double anchorSize) {

    /** Total stride of the backbone: one grid cell covers STRIDE x STRIDE pixels. */
    public static final int STRIDE = 8;

    public DetectorConfig {
        if (imageSize < 2 * STRIDE || imageSize % STRIDE != 0) {
            throw new IllegalArgumentException("imageSize must be a multiple of " + STRIDE + " and at least "
                    + 2 * STRIDE + ", got " + imageSize);
        }
        if (dim % heads != 0) {
            throw new IllegalArgumentException("dim " + dim + " is not divisible by heads " + heads);
        }
        if (stemWidth < 1 || blocks < 1 || mlpWidth < 1 || promptDim < 1 || !(anchorSize > 0)) {
            throw new IllegalArgumentException("detector sizes must be positive: " + this);
        }
    }

    /** Cells per side of the feature grid. */
    public int gridSize() {
        return imageSize / STRIDE;
    }

    /** Number of grid cells (image tokens). */
    public int cells() {
        return gridSize() * gridSize();
    }
}
