package io.moezoo.engine.gguf;

/** The types of GGUF metadata values, with their on-disk ids and sizes. */
public enum GgufValueType {
    /** Unsigned 8-bit integer. */
    UINT8(0, 1),
    /** Signed 8-bit integer. */
    INT8(1, 1),
    /** Unsigned 16-bit integer. */
    UINT16(2, 2),
    /** Signed 16-bit integer. */
    INT16(3, 2),
    /** Unsigned 32-bit integer. */
    UINT32(4, 4),
    /** Signed 32-bit integer. */
    INT32(5, 4),
    /** IEEE single. */
    FLOAT32(6, 4),
    /** One byte, non-zero is true. */
    BOOL(7, 1),
    /** A u64 byte length and UTF-8 bytes. */
    STRING(8, 8),
    /** An element type, a u64 count and the elements. */
    ARRAY(9, 12),
    /** Unsigned 64-bit integer. */
    UINT64(10, 8),
    /** Signed 64-bit integer. */
    INT64(11, 8),
    /** IEEE double. */
    FLOAT64(12, 8);

    private final int id;
    private final int minBytes;

    GgufValueType(int id, int minBytes) {
        this.id = id;
        this.minBytes = minBytes;
    }

    /**
     * Returns the id written in files.
     *
     * @return the id
     */
    public int id() {
        return id;
    }

    /**
     * Returns the fewest bytes a value of this type takes (its size for fixed-size types).
     *
     * @return the minimum size
     */
    public int minBytes() {
        return minBytes;
    }

    /**
     * Whether this is one of the integer types.
     *
     * @return true for the eight integer types
     */
    public boolean isInteger() {
        return this != FLOAT32
                && this != FLOAT64
                && this != BOOL
                && this != STRING
                && this != ARRAY;
    }

    /**
     * Returns the type of an id.
     *
     * @param id the id read from a file
     * @return the type, or null if the id is unknown
     */
    public static GgufValueType of(long id) {
        for (GgufValueType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }
}
