package io.moezoo.blocks.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.Scalars;

/**
 * RMSNorm over the last axis, computed in float32 as in Hugging Face Llama-family models: \(y = w
 * \odot \mathrm{cast}(x / \sqrt{\mathrm{mean}(x^2) + \epsilon})\).
 */
public final class RmsNorm extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Parameter weight;
    private final float epsilon;

    /**
     * Creates the norm.
     *
     * @param size the size of the normalised (last) axis
     * @param epsilon ε ({@code rms_norm_eps})
     */
    public RmsNorm(int size, float epsilon) {
        super(VERSION);
        if (size <= 0 || !(epsilon > 0)) {
            throw new IllegalArgumentException(
                    "RMSNorm needs size > 0 and eps > 0, got " + size + ", " + epsilon);
        }
        this.epsilon = epsilon;
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.GAMMA)
                                .optShape(new Shape(size))
                                .build());
    }

    /**
     * Returns the scale parameter {@code [size]}.
     *
     * @return the weight
     */
    public Parameter getWeight() {
        return weight;
    }

    /**
     * Normalises x.
     *
     * @param ps the parameter store
     * @param x the input {@code [..., size]}
     * @param training whether this is a training pass
     * @return the normalised input in x's data type
     */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray x32 = x.toType(DataType.FLOAT32, false);
        NDArray inverse =
                x32.square()
                        .mean(new int[] {-1}, true)
                        .add(epsilon)
                        .sqrt()
                        .pow(Scalars.of(-1, x32));
        NDArray normed = x32.mul(inverse).toType(x.getDataType(), false);
        return normed.mul(ParameterViews.as(ps.getValue(weight, x.getDevice(), training), normed));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
