package io.moezoo.engine.gguf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One GGUF metadata value: a scalar, a string or an array of scalars or strings (GGUF has no nested
 * arrays). Integers of every width are held as {@code Long} (UINT64 as its raw 64 bits), FLOAT32 as
 * {@code Float}, FLOAT64 as {@code Double}, BOOL as {@code Boolean}, STRING as {@code String}, and
 * an ARRAY as an unmodifiable list of such values, all of {@code elementType}.
 *
 * @param type the value's type
 * @param elementType the element type of an ARRAY, else null
 * @param value the value
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {

    /**
     * Checks the value against its type.
     *
     * @param type the value's type
     * @param elementType the element type of an ARRAY, else null
     * @param value the value
     * @throws IllegalArgumentException if the value does not fit the type
     */
    public GgufValue {
        if (type == GgufValueType.ARRAY) {
            if (elementType == null || elementType == GgufValueType.ARRAY) {
                throw new IllegalArgumentException("GGUF arrays hold scalars or strings");
            }
            if (!(value instanceof List<?> list)) {
                throw new IllegalArgumentException("an ARRAY value is a list");
            }
            List<Object> copy = new ArrayList<>(list.size());
            for (Object o : list) {
                check(elementType, o);
                copy.add(o);
            }
            value = Collections.unmodifiableList(copy);
        } else {
            if (elementType != null) {
                throw new IllegalArgumentException("only arrays have an element type");
            }
            check(type, value);
        }
    }

    private static void check(GgufValueType type, Object o) {
        boolean ok =
                switch (type) {
                    case UINT8 -> o instanceof Long l && l >= 0 && l <= 0xff;
                    case INT8 -> o instanceof Long l && l >= Byte.MIN_VALUE && l <= Byte.MAX_VALUE;
                    case UINT16 -> o instanceof Long l && l >= 0 && l <= 0xffff;
                    case INT16 ->
                            o instanceof Long l && l >= Short.MIN_VALUE && l <= Short.MAX_VALUE;
                    case UINT32 -> o instanceof Long l && l >= 0 && l <= 0xffffffffL;
                    case INT32 ->
                            o instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE;
                    case UINT64, INT64 -> o instanceof Long;
                    case FLOAT32 -> o instanceof Float;
                    case FLOAT64 -> o instanceof Double;
                    case BOOL -> o instanceof Boolean;
                    case STRING -> o instanceof String;
                    case ARRAY -> false;
                };
        if (!ok) {
            throw new IllegalArgumentException(o + " is not a GGUF " + type + " value");
        }
    }

    /**
     * Returns an integer value of a given type.
     *
     * @param type an integer type
     * @param value the value (UINT64: the raw bits)
     * @return the value
     */
    public static GgufValue integer(GgufValueType type, long value) {
        return new GgufValue(type, null, value);
    }

    /**
     * Returns a UINT32 value.
     *
     * @param value in [0, 2^32)
     * @return the value
     */
    public static GgufValue u32(long value) {
        return integer(GgufValueType.UINT32, value);
    }

    /**
     * Returns a FLOAT32 value.
     *
     * @param value the value
     * @return the value
     */
    public static GgufValue f32(float value) {
        return new GgufValue(GgufValueType.FLOAT32, null, value);
    }

    /**
     * Returns a FLOAT64 value.
     *
     * @param value the value
     * @return the value
     */
    public static GgufValue f64(double value) {
        return new GgufValue(GgufValueType.FLOAT64, null, value);
    }

    /**
     * Returns a BOOL value.
     *
     * @param value the value
     * @return the value
     */
    public static GgufValue bool(boolean value) {
        return new GgufValue(GgufValueType.BOOL, null, value);
    }

    /**
     * Returns a STRING value.
     *
     * @param value the text
     * @return the value
     */
    public static GgufValue string(String value) {
        return new GgufValue(GgufValueType.STRING, null, value);
    }

    /**
     * Returns an ARRAY value.
     *
     * @param elementType the type of every element
     * @param elements the elements (Long, Float, Double, Boolean or String as the type needs)
     * @return the value
     */
    public static GgufValue array(GgufValueType elementType, List<?> elements) {
        return new GgufValue(GgufValueType.ARRAY, elementType, elements);
    }

    /**
     * Whether this is an integer scalar.
     *
     * @return true for the integer types
     */
    public boolean isInteger() {
        return type.isInteger();
    }

    /**
     * Returns an integer scalar.
     *
     * @return the value (UINT64: the raw bits)
     * @throws IllegalStateException if this is not an integer
     */
    public long asLong() {
        if (!isInteger()) {
            throw new IllegalStateException("a " + type + " is not an integer");
        }
        return (Long) value;
    }

    /**
     * Returns a FLOAT32 or FLOAT64 scalar.
     *
     * @return the value
     * @throws IllegalStateException if this is not a float
     */
    public double asDouble() {
        if (type == GgufValueType.FLOAT32) {
            return (Float) value;
        }
        if (type == GgufValueType.FLOAT64) {
            return (Double) value;
        }
        throw new IllegalStateException("a " + type + " is not a float");
    }

    /**
     * Returns an array's elements.
     *
     * @return the elements
     * @throws IllegalStateException if this is not an array
     */
    public List<?> asList() {
        if (type != GgufValueType.ARRAY) {
            throw new IllegalStateException("a " + type + " is not an array");
        }
        return (List<?>) value;
    }

    @Override
    public String toString() {
        if (type == GgufValueType.ARRAY) {
            return elementType + "[" + asList().size() + "]";
        }
        return type + " " + value;
    }
}
