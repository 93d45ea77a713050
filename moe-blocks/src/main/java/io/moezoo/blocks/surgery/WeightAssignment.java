package io.moezoo.blocks.surgery;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

/**
 * Replaces the values of an initialised parameter, keeping its NDArray identity and gradient flag.
 */
public final class WeightAssignment {

    private WeightAssignment() {}

    /**
     * Copies values into a parameter.
     *
     * @param parameter an initialised parameter
     * @param values values of exactly the parameter's shape
     * @throws IllegalArgumentException if the shapes differ
     * @throws IllegalStateException if the parameter is not initialised
     */
    public static void assign(Parameter parameter, NDArray values) {
        if (!parameter.isInitialized()) {
            throw new IllegalStateException(
                    "Parameter " + parameter.getName() + " is not initialised");
        }
        NDArray target = parameter.getArray();
        if (!target.getShape().equals(values.getShape())) {
            throw new IllegalArgumentException(
                    "Parameter "
                            + parameter.getName()
                            + " has shape "
                            + target.getShape()
                            + " but the values have shape "
                            + values.getShape());
        }
        // One copy: toType/toDevice return the same array when nothing changes.
        NDArray converted =
                values.toType(target.getDataType(), false).toDevice(target.getDevice(), false);
        NDArray copy = converted.duplicate();
        if (converted != values) {
            converted.close();
        }
        target.intern(copy);
        target.setRequiresGradient(parameter.requiresGradient());
    }

    /**
     * Writes values into one slice along axis 0 of an initialised parameter, in place (outside
     * gradient recording), for assembling stacked weights piece by piece without a stacked copy.
     *
     * @param parameter an initialised parameter
     * @param index the index along axis 0
     * @param rowOffset the first row (axis 1) to write
     * @param values values of shape {@code [rows, ...]} matching the parameter's trailing axes
     */
    public static void assignSlice(
            Parameter parameter, long index, long rowOffset, NDArray values) {
        NDArray target = parameter.getArray();
        ai.djl.ndarray.types.Shape slice = target.getShape().slice(2);
        long rows = values.getShape().get(0);
        if (values.getShape().dimension() != target.getShape().dimension() - 1
                || !values.getShape().slice(1).equals(slice)
                || index < 0
                || index >= target.getShape().get(0)
                || rowOffset + rows > target.getShape().get(1)) {
            throw new IllegalArgumentException(
                    "Cannot write values of shape "
                            + values.getShape()
                            + " into "
                            + parameter.getName()
                            + target.getShape()
                            + " at ["
                            + index
                            + ", "
                            + rowOffset
                            + ":]");
        }
        target.set(
                new ai.djl.ndarray.index.NDIndex("{}, {}:{}", index, rowOffset, rowOffset + rows),
                values.toType(target.getDataType(), false));
    }
}
