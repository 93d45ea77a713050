package io.moezoo.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands for differentiable arithmetic.
 *
 * <p>On DJL's PyTorch engine, {@code x.mul(2f)}, {@code x.div(n)} and {@code x.pow(-1)} wrap the
 * number in a temporary 0-d tensor whose storage is a Java direct buffer ({@code torch::from_blob},
 * no copy) and close that tensor when the call returns. Autograd saves the operand of mul, div and
 * pow for the backward pass, which therefore reads the buffer after the garbage collector may have
 * freed and reused it: the gradients of everything upstream become garbage (1e29, NaN), depending
 * on GC timing. Inside a gradient collector, pass {@link #of} to the {@code NDArray} overloads
 * instead: its tensor owns natively allocated storage, which autograd's reference keeps alive.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * Returns a 0-d float32 array holding the value (the operand DJL's number overloads would
     * create), owned by the manager of the array it is combined with.
     *
     * @param value the value
     * @param like the array the scalar is combined with
     * @return the scalar
     */
    public static NDArray of(float value, NDArray like) {
        return like.getManager().full(new Shape(), value, DataType.FLOAT32);
    }
}
