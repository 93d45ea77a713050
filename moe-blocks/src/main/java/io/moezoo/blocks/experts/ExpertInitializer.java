package io.moezoo.blocks.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Xavier (Glorot) uniform initialisation of stacked expert weights {@code [E, out, in]}: each
 * expert's {@code [out, in]} matrix is drawn as DJL's default Xavier would draw a dense layer,
 * \(U(-s, s)\) with \(s = \sqrt{6 / ((in + out) / 2)}\). DJL's own Xavier reads a 3-D shape as a
 * convolution kernel ({@code in · out} as fan-in), which starts experts an order of magnitude
 * smaller than the dense layers they replace.
 */
public final class ExpertInitializer implements Initializer {

    /** {@inheritDoc} */
    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (shape.dimension() != 3) {
            throw new IllegalArgumentException("Expert weights are [E, out, in], got " + shape);
        }
        float factor = (shape.get(1) + shape.get(2)) / 2f;
        float scale = (float) Math.sqrt(6f / factor);
        return manager.randomUniform(-scale, scale, shape, dataType, manager.getDevice());
    }
}
