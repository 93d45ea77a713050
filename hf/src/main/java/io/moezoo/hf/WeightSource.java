package io.moezoo.hf;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * Where one parameter's values come from in a Hugging Face checkpoint.
 *
 * @param target the parameter
 * @param keys the checkpoint keys
 * @param kind how the keys make up the parameter
 * @param keyShape the shape every key must have
 */
record WeightSource(Parameter target, List<String> keys, Kind kind, Shape keyShape) {

    /** How the keys make up the parameter. */
    enum Kind {
        /** One key, the parameter's shape. */
        DIRECT,
        /** E keys of gate rows then E keys of up rows, stacked to {@code [E, 2I, H]}. */
        STACK_GATE_UP,
        /** E keys stacked along a new leading axis. */
        STACK
    }

    /** One key of the parameter's own shape. */
    static WeightSource direct(Parameter target, String key) {
        return new WeightSource(target, List.of(key), Kind.DIRECT, target.getShape());
    }
}
