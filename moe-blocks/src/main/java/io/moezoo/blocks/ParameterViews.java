package io.moezoo.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * Views of parameter values that belong to one forward pass.
 *
 * <p>On DJL's PyTorch engine an operation's result belongs to the manager of the array it is called
 * on, so {@code weight.transpose()} would land in the model's manager and stay there until the
 * model closes: a leak that grows with every training step. These helpers hand the derived view to
 * the manager of the pass's input instead, so it dies with the pass. The parameter array itself is
 * never moved.
 */
public final class ParameterViews {

    private ParameterViews() {}

    /**
     * Returns the parameter in the input's data type: the parameter itself when the types match,
     * else a copy owned by the input's manager.
     *
     * @param weight the parameter value
     * @param input the pass's input
     * @return the weight in the input's data type
     */
    public static NDArray as(NDArray weight, NDArray input) {
        DataType type = input.getDataType();
        if (weight.getDataType() == type) {
            return weight;
        }
        return owned(weight.toType(type, true), input);
    }

    /**
     * Returns {@code weight[index]} (a view along axis 0) owned by the input's manager.
     *
     * @param weight the stacked parameter value
     * @param index the index along axis 0
     * @param input the pass's input
     * @return the slice in the input's data type
     */
    public static NDArray slice(NDArray weight, int index, NDArray input) {
        return castOwned(owned(weight.get(index), input), input);
    }

    /**
     * Splits a stacked parameter {@code [E, ...]} into E views {@code [1, ...]} owned by the
     * input's manager, with one split whose backward pass is a single concatenation.
     *
     * @param weight the stacked parameter value
     * @param input the pass's input
     * @return E views in the input's data type
     */
    public static NDList unstack(NDArray weight, NDArray input) {
        NDArray typed = as(weight, input);
        NDList pieces = typed.split(typed.getShape().get(0), 0);
        pieces.attach(input.getManager());
        return pieces;
    }

    /**
     * Returns the transposed parameter (reversed axes, or the given permutation) owned by the
     * input's manager.
     *
     * @param weight the parameter value
     * @param input the pass's input
     * @param axes the permutation, or none to reverse the axes
     * @return the transposed view in the input's data type
     */
    public static NDArray transposed(NDArray weight, NDArray input, int... axes) {
        NDArray view = axes.length == 0 ? weight.transpose() : weight.transpose(axes);
        return castOwned(owned(view, input), input);
    }

    /**
     * Returns the parameter reshaped, owned by the input's manager.
     *
     * @param weight the parameter value
     * @param input the pass's input
     * @param shape the new shape (one axis may be -1)
     * @return the reshaped view in the input's data type
     */
    public static NDArray reshaped(NDArray weight, NDArray input, long... shape) {
        return castOwned(owned(weight.reshape(shape), input), input);
    }

    private static NDArray owned(NDArray derived, NDArray input) {
        derived.attach(input.getManager());
        return derived;
    }

    private static NDArray castOwned(NDArray owned, NDArray input) {
        return owned.getDataType() == input.getDataType()
                ? owned
                : owned.toType(input.getDataType(), false);
    }
}
