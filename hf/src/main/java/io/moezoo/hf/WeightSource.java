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
        STACK,
        /**
         * One key {@code [E, 2I, H]} whose rows interleave gate and up (row 2j gate, 2j+1 up; a
         * gpt-oss MXFP4 pair), rearranged gate rows first.
         */
        INTERLEAVED_ROWS,
        /**
         * One key {@code [E, H, 2I]} used as x·W whose columns interleave gate and up (gpt-oss
         * dequantized), transposed and rearranged to {@code [E, 2I, H]} gate rows first.
         */
        INTERLEAVED_COLUMNS,
        /** One key {@code [E, I, 2]}-interleaved bias {@code [E, 2I]}, rearranged gate first. */
        INTERLEAVED_BIAS,
        /** One key {@code [E, C, R]} used as x·W, transposed to {@code [E, R, C]}. */
        TRANSPOSED
    }

    /** One key of the parameter's own shape. */
    static WeightSource direct(Parameter target, String key) {
        return new WeightSource(target, List.of(key), Kind.DIRECT, target.getShape());
    }
}
