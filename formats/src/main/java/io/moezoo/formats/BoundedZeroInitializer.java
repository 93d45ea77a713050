package io.moezoo.formats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Zero-initialises the parameters of a block that is about to receive its weights from a file, as
 * long as their total size stays within the number of values that file holds. A model description
 * ({@code model.json}, {@code config.json}) with absurd dimensions therefore fails on its first
 * parameter past the budget, before that parameter is allocated, instead of allocating gigabytes
 * that the weight check would reject afterwards.
 */
public final class BoundedZeroInitializer implements Initializer {

    private final long budget;
    private final String source;
    private long used;

    /**
     * Creates the initializer.
     *
     * @param budget the most values all parameters together may hold
     * @param source the weight file, for the message
     */
    public BoundedZeroInitializer(long budget, String source) {
        this.budget = budget;
        this.source = source;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the parameter would take the total past the budget (or
     *     its shape is negative or overflows)
     */
    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        long size = 1;
        try {
            for (long dim : shape.getShape()) {
                if (dim < 0) {
                    throw new ArithmeticException("negative dimension");
                }
                size = Math.multiplyExact(size, dim);
            }
            used = Math.addExact(used, size);
        } catch (ArithmeticException e) {
            used = Long.MAX_VALUE;
        }
        if (used > budget) {
            throw new IllegalArgumentException(
                    source
                            + " holds "
                            + budget
                            + " values, but the model described needs more (a parameter of shape "
                            + shape
                            + " takes it to "
                            + (used == Long.MAX_VALUE ? "more than 2^63" : Long.toString(used))
                            + "); refused before allocating it");
        }
        return manager.zeros(shape, dataType);
    }
}
