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
        NDArray copy = values.toType(target.getDataType(), true).toDevice(target.getDevice(), true);
        target.intern(copy.duplicate());
        copy.close();
        target.setRequiresGradient(parameter.requiresGradient());
    }
}
