package io.moezoo.blocks.residual;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The dense MLP of a ViT block, \(y = W_2\,\mathrm{GELU}(W_1 x + b_1) + b_2\): child blocks {@code
 * fc1} ({@code [I, H]} and bias) and {@code fc2} ({@code [H, I]} and bias).
 */
public final class GeluFeedForward extends AbstractBlock implements FeedForward {

    private static final byte VERSION = 1;

    private final int hiddenSize;
    private final int intermediateSize;
    private final Linear fc1;
    private final Linear fc2;

    /**
     * Creates the MLP.
     *
     * @param hiddenSize H
     * @param intermediateSize I
     * @throws IllegalArgumentException if a size is not positive
     */
    public GeluFeedForward(int hiddenSize, int intermediateSize) {
        super(VERSION);
        if (hiddenSize <= 0 || intermediateSize <= 0) {
            throw new IllegalArgumentException(
                    "GELU MLP sizes must be > 0, got H=" + hiddenSize + ", I=" + intermediateSize);
        }
        this.hiddenSize = hiddenSize;
        this.intermediateSize = intermediateSize;
        fc1 = addChildBlock("fc1", Linear.builder().setUnits(intermediateSize).build());
        fc2 = addChildBlock("fc2", Linear.builder().setUnits(hiddenSize).build());
    }

    /** {@inheritDoc} */
    @Override
    public int getHiddenSize() {
        return hiddenSize;
    }

    /**
     * Returns I.
     *
     * @return the intermediate size
     */
    public int getIntermediateSize() {
        return intermediateSize;
    }

    /** {@inheritDoc} */
    @Override
    public RoutedOutput forwardRouted(ParameterStore ps, NDArray x, boolean training) {
        NDArray hidden = Activation.gelu(fc1.forward(ps, new NDList(x), training).head());
        return RoutedOutput.dense(fc2.forward(ps, new NDList(hidden), training).head());
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forwardRouted(ps, inputs.singletonOrThrow(), training).output());
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        fc1.initialize(manager, dataType, new Shape(-1, hiddenSize));
        fc2.initialize(manager, dataType, new Shape(-1, intermediateSize));
    }
}
