package io.moezoo.onnx.graph;

import io.moezoo.onnx.OnnxGraphException;
import java.util.List;

/**
 * A typed graph input or output ({@code ValueInfoProto}); each dimension is a number or a symbolic
 * name such as {@code "batch"}.
 *
 * @param name the value name
 * @param type the element type
 * @param dims each a {@code Long} (fixed size) or a {@code String} (symbolic)
 */
public record OnnxValueInfo(String name, OnnxDataType type, List<Object> dims) {

    /**
     * Validates the dimensions.
     *
     * @param name the value name
     * @param type the element type
     * @param dims the dimensions
     * @throws OnnxGraphException if a dimension is neither a non-negative number nor a non-empty
     *     name
     */
    public OnnxValueInfo {
        if (name == null || name.isEmpty() || type == null || dims == null) {
            throw new OnnxGraphException("Value info needs a name, a type and dims");
        }
        for (Object d : dims) {
            boolean ok = (d instanceof Long l && l >= 0) || (d instanceof String s && !s.isEmpty());
            if (!ok) {
                throw new OnnxGraphException(
                        "Value '" + name + "' has an invalid dimension " + d + " in " + dims);
            }
        }
        dims = List.copyOf(dims);
    }

    /**
     * Creates a value info from mixed dims ({@code Integer}s are widened).
     *
     * @param name the value name
     * @param type the element type
     * @param dims numbers or symbolic names
     * @return the value info
     */
    public static OnnxValueInfo of(String name, OnnxDataType type, Object... dims) {
        Object[] widened = dims.clone();
        for (int i = 0; i < widened.length; i++) {
            if (widened[i] instanceof Integer n) {
                widened[i] = n.longValue();
            }
        }
        return new OnnxValueInfo(name, type, List.of(widened));
    }
}
