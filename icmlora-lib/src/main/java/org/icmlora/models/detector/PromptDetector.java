package org.icmlora.models.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.icmlora.lora.LoraLinear;

/**
 * A small detector that is told in words what to find: it takes a grey-scale picture [B, 1, S, S] and a prompt
 * embedding [B, promptDim] (MiniLM of "Detect the sneaker in the picture.") and scores every grid cell for "an object
 * of the named kind is centred here", with a box.
 *
 * <p>Top to bottom:
 * <ol>
 *   <li>backbone: four 3x3 convolutions with batch norm and ReLU, strides 2, 2, 2, 1, giving a [dim, S/8, S/8] grid;</li>
 *   <li>each grid cell becomes a token, plus a learned position embedding;</li>
 *   <li>the prompt embedding is projected to one more token ({@code prompt.proj}) placed first in the sequence;</li>
 *   <li>{@code blocks} transformer blocks ({@link DetectorBlock}): attention among cells and prompt, the prompt token
 *       modulating the cells' features;</li>
 *   <li>a final layer norm; the head ({@code head}) maps each cell token to 5 numbers: objectness logit, centre
 *       offsets in the cell (through a sigmoid) and log width/height relative to the anchor ({@link GridCodec}).</li>
 * </ol>
 * Output: {@code NDList(head [B, cells, 5], hidden [B, 1 + cells, dim])}; {@code hidden[:, 0]} is the prompt token
 * after the last block, the "last position" whose mean over a task's pictures is the Eq. 1 vision task vector.
 *
 * <p>Every linear layer is a {@link LoraLinear}; the LoRA targets of the kit are the blocks' attention and MLP layers.
 * While adapters are trained the batch-norm statistics stay frozen ({@link #freezeNormalization}).
 */
public final class PromptDetector extends AbstractBlock {

    private final DetectorConfig config;
    private final SequentialBlock backbone;
    private final Parameter position;
    private final LoraLinear promptProjection;
    private final List<DetectorBlock> blocks = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final LoraLinear head;
    private boolean normalizationFrozen;

    /** A detector of the given shape (uninitialised: call {@link #initialize(NDManager)}). */
    public PromptDetector(DetectorConfig config) {
        this.config = config;
        int dim = config.dim();
        backbone = addChildBlock("backbone", new SequentialBlock()
                .addAll(convolution(config.stemWidth(), 2))
                .addAll(convolution(2 * config.stemWidth(), 2))
                .addAll(convolution(dim, 2))
                .addAll(convolution(dim, 1)));
        position = addParameter(Parameter.builder().setName("position").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.cells(), dim)).optInitializer(new NormalInitializer(0.02f)).build());
        promptProjection = addChildBlock("prompt", new LoraLinear("prompt.proj", config.promptDim(), dim, true));
        for (int i = 0; i < config.blocks(); i++) {
            blocks.add(addChildBlock("block" + i, new DetectorBlock(i, dim, config.heads(), config.mlpWidth())));
        }
        finalNorm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        head = addChildBlock("head", new LoraLinear("head", dim, GridCodec.OUTPUTS, true));
    }

    /** The detector's shape. */
    public DetectorConfig config() {
        return config;
    }

    /** Creates the parameters (seed the engine first for a reproducible start). */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, 1, config.imageSize(), config.imageSize()),
                new Shape(1, config.promptDim()));
    }

    /**
     * When frozen, batch norm uses its running statistics even in training mode and does not update them: adapters
     * then train against exactly the base model they will later be merged into.
     */
    public void freezeNormalization(boolean frozen) {
        normalizationFrozen = frozen;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray images = inputs.get(0);
        NDArray prompts = inputs.get(1);
        long batch = images.getShape().get(0);
        NDArray grid = backbone.forward(store, new NDList(images), training && !normalizationFrozen).head();
        NDArray cells = grid.reshape(batch, config.dim(), config.cells()).transpose(0, 2, 1)
                .add(store.getValue(position, images.getDevice(), training));
        NDArray prompt = promptProjection.forward(store, new NDList(prompts), training).head().expandDims(1);
        NDArray tokens = prompt.concat(cells, 1);
        for (DetectorBlock block : blocks) {
            tokens = block.forward(store, new NDList(tokens), training).head();
        }
        NDArray hidden = finalNorm.forward(store, new NDList(tokens), training).head();
        NDArray out = head.forward(store, new NDList(hidden.get(new NDIndex(":, 1:, :"))), training).head();
        return new NDList(out, hidden);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape images = inputShapes[0];
        long batch = images.get(0);
        backbone.initialize(manager, dataType, images);
        promptProjection.initialize(manager, dataType, inputShapes[1]);
        Shape tokens = new Shape(batch, 1 + config.cells(), config.dim());
        for (DetectorBlock block : blocks) {
            block.initialize(manager, dataType, tokens);
        }
        finalNorm.initialize(manager, dataType, tokens);
        head.initialize(manager, dataType, new Shape(batch, config.cells(), config.dim()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {new Shape(batch, config.cells(), GridCodec.OUTPUTS),
            new Shape(batch, 1 + config.cells(), config.dim())};
    }

    private static List<ai.djl.nn.Block> convolution(int filters, int stride) {
        return List.of(
                Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(stride, stride))
                        .optPadding(new Shape(1, 1)).setFilters(filters).build(),
                BatchNorm.builder().build(),
                Activation.reluBlock());
    }
}
