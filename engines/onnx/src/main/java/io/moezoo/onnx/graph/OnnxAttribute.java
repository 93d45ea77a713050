package io.moezoo.onnx.graph;

import io.moezoo.onnx.OnnxGraphException;

/**
 * A node attribute ({@code AttributeProto}) of one of the kinds the exporter writes.
 *
 * @param name the attribute name
 * @param kind the attribute kind
 * @param value a {@code Long}, {@code Float}, {@code String}, {@code long[]}, {@code float[]} or
 *     {@link OnnxTensor}, as the kind says
 */
public record OnnxAttribute(String name, Kind kind, Object value) {

    /** The {@code AttributeProto.AttributeType} kinds written. */
    public enum Kind {
        /** One float. */
        FLOAT(1),
        /** One int64. */
        INT(2),
        /** One UTF-8 string. */
        STRING(3),
        /** One tensor. */
        TENSOR(4),
        /** Floats. */
        FLOATS(6),
        /** Int64s. */
        INTS(7);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        /**
         * Returns the {@code AttributeType} number.
         *
         * @return the code
         */
        public int code() {
            return code;
        }
    }

    /**
     * Validates the value against the kind.
     *
     * @param name the attribute name
     * @param kind the attribute kind
     * @param value the value
     * @throws OnnxGraphException if the value does not have the kind's Java type
     */
    public OnnxAttribute {
        if (name == null || name.isEmpty() || kind == null || value == null) {
            throw new OnnxGraphException("Attribute needs a name, a kind and a value");
        }
        boolean ok =
                switch (kind) {
                    case FLOAT -> value instanceof Float;
                    case INT -> value instanceof Long;
                    case STRING -> value instanceof String;
                    case TENSOR -> value instanceof OnnxTensor;
                    case FLOATS -> value instanceof float[];
                    case INTS -> value instanceof long[];
                };
        if (!ok) {
            throw new OnnxGraphException(
                    "Attribute '"
                            + name
                            + "' of kind "
                            + kind
                            + " cannot hold a "
                            + value.getClass().getSimpleName());
        }
        if (value instanceof long[] v) {
            value = v.clone();
        } else if (value instanceof float[] v) {
            value = v.clone();
        }
    }

    /**
     * Creates an int attribute.
     *
     * @param name the name
     * @param value the value
     * @return the attribute
     */
    public static OnnxAttribute of(String name, long value) {
        return new OnnxAttribute(name, Kind.INT, value);
    }

    /**
     * Creates a float attribute.
     *
     * @param name the name
     * @param value the value
     * @return the attribute
     */
    public static OnnxAttribute of(String name, float value) {
        return new OnnxAttribute(name, Kind.FLOAT, value);
    }

    /**
     * Creates a string attribute.
     *
     * @param name the name
     * @param value the value
     * @return the attribute
     */
    public static OnnxAttribute of(String name, String value) {
        return new OnnxAttribute(name, Kind.STRING, value);
    }

    /**
     * Creates a tensor attribute.
     *
     * @param name the name
     * @param value the tensor
     * @return the attribute
     */
    public static OnnxAttribute of(String name, OnnxTensor value) {
        return new OnnxAttribute(name, Kind.TENSOR, value);
    }

    /**
     * Creates an ints attribute.
     *
     * @param name the name
     * @param values the values
     * @return the attribute
     */
    public static OnnxAttribute ints(String name, long... values) {
        return new OnnxAttribute(name, Kind.INTS, values);
    }

    /**
     * Creates a floats attribute.
     *
     * @param name the name
     * @param values the values
     * @return the attribute
     */
    public static OnnxAttribute floats(String name, float... values) {
        return new OnnxAttribute(name, Kind.FLOATS, values);
    }
}
