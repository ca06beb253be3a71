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
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.icmlora.engine.Scalars;
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
 *   <li>a final layer norm, then the head, per cell: a box ({@code head.box}: centre offsets in the cell through a
 *       sigmoid, log width/height relative to the anchor, see {@link GridCodec}) and an objectness logit that is the
 *       scaled dot product of the cell's embedding ({@code head.embed}) with a query made from the prompt token
 *       ({@code head.query}), plus a learned bias (as open-vocabulary detectors such as OWL-ViT score boxes against a
 *       text query): a cell scores high only when it matches what the prompt asks for.</li>
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
    private final LoraLinear boxHead;
    private final LoraLinear cellEmbedding;
    private final LoraLinear query;
    private final Parameter objectnessBias;
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
        boxHead = addChildBlock("box", new LoraLinear("head.box", dim, 4, true));
        cellEmbedding = addChildBlock("embed", new LoraLinear("head.embed", dim, dim, true));
        query = addChildBlock("query", new LoraLinear("head.query", dim, dim, true));
        // Starts every cell at objectness sigmoid(-4) = 0.018, the prior of a mostly empty grid (as in RetinaNet).
        objectnessBias = addParameter(Parameter.builder().setName("objectness_bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(1)).optInitializer(new ConstantInitializer(-4f)).build());
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
        return detect(store, cellTokens(store, inputs.get(0), training), inputs.get(1), training);
    }

    /**
     * Steps 1 and 2: the grid-cell tokens [B, cells, dim] of {@code images} [B, 1, S, S]. No adapter acts here (the
     * backbone's convolutions are not LoRA layers), so a batched evaluation of k adapters computes them once and
     * repeats them for each adapter's group of rows.
     */
    public NDArray cellTokens(ParameterStore store, NDArray images, boolean training) {
        long batch = images.getShape().get(0);
        NDArray grid = backbone.forward(store, new NDList(images), training && !normalizationFrozen).head();
        return grid.reshape(batch, config.dim(), config.cells()).transpose(0, 2, 1)
                .add(store.getValue(position, images.getDevice(), training));
    }

    /**
     * Steps 3 to 5 on the cell tokens of {@link #cellTokens} and the prompt embeddings [B, promptDim]: the same
     * {@code NDList(head, hidden)} as the forward pass.
     */
    public NDList detect(ParameterStore store, NDArray cells, NDArray prompts, boolean training) {
        NDArray prompt = promptProjection.forward(store, new NDList(prompts), training).head().expandDims(1);
        NDArray tokens = prompt.concat(cells, 1);
        for (DetectorBlock block : blocks) {
            tokens = block.forward(store, new NDList(tokens), training).head();
        }
        NDArray hidden = finalNorm.forward(store, new NDList(tokens), training).head();
        NDList cellStates = new NDList(hidden.get(new NDIndex(":, 1:, :")));
        NDArray promptState = hidden.get(new NDIndex(":, 0:1, :"));
        NDArray embedded = cellEmbedding.forward(store, cellStates, training).head();
        NDArray asked = query.forward(store, new NDList(promptState), training).head();
        NDArray objectness = Scalars.dividedBy(embedded.mul(asked).sum(new int[] {2}, true), Math.sqrt(config.dim()))
                .add(store.getValue(objectnessBias, cells.getDevice(), training));
        NDArray boxes = boxHead.forward(store, cellStates, training).head();
        return new NDList(objectness.concat(boxes, 2), hidden);
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
        Shape cells = new Shape(batch, config.cells(), config.dim());
        boxHead.initialize(manager, dataType, cells);
        cellEmbedding.initialize(manager, dataType, cells);
        query.initialize(manager, dataType, new Shape(batch, 1, config.dim()));
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
