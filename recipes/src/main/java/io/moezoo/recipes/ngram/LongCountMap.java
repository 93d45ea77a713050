package io.moezoo.recipes.ngram;

/**
 * An open-addressing hash map from {@code long} keys to {@code long} values (linear probing, load
 * at most 1/2), so that a million n-grams cost about 32 MB instead of the ~100 bytes per entry of a
 * boxed {@code HashMap<Long, Long>}. Absent keys read as 0. {@link Long#MIN_VALUE} is reserved as
 * the empty-slot marker and cannot be a key; n-gram keys are never negative ({@link NgramKeys}).
 * Not thread-safe while being written; iteration order is a function of the insertions only, so
 * everything derived from it is deterministic.
 */
final class LongCountMap {

    private static final long EMPTY = Long.MIN_VALUE;

    private long[] keys;
    private long[] values;
    private int size;

    /** Creates an empty map. */
    LongCountMap() {
        this(16);
    }

    /**
     * Creates an empty map sized for {@code expected} keys.
     *
     * @param expected the expected number of keys
     */
    LongCountMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        allocate(capacity);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new long[capacity];
        java.util.Arrays.fill(keys, EMPTY);
        size = 0;
    }

    private static int hash(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private int slot(long key) {
        int mask = keys.length - 1;
        int i = hash(key, mask);
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /**
     * Returns the value of a key.
     *
     * @param key the key
     * @return its value, 0 if absent
     */
    long get(long key) {
        int i = slot(key);
        return keys[i] == EMPTY ? 0 : values[i];
    }

    /**
     * Adds to the value of a key, inserting it with value {@code delta} if absent.
     *
     * @param key the key (not {@link Long#MIN_VALUE})
     * @param delta the amount to add
     */
    void add(long key, long delta) {
        if (key == EMPTY) {
            throw new IllegalArgumentException("Long.MIN_VALUE is reserved");
        }
        int i = slot(key);
        if (keys[i] == EMPTY) {
            keys[i] = key;
            size++;
            if (2 * size > keys.length) {
                values[i] = delta;
                grow();
                return;
            }
        }
        values[i] += delta;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int j = slot(oldKeys[i]);
                keys[j] = oldKeys[i];
                values[j] = oldValues[i];
                size++;
            }
        }
    }

    /**
     * Returns the number of keys.
     *
     * @return the size
     */
    int size() {
        return size;
    }

    /**
     * Calls the action for every key and value, in slot order.
     *
     * @param action receives key and value
     */
    void forEach(LongLongConsumer action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                action.accept(keys[i], values[i]);
            }
        }
    }

    /** A consumer of a key and its value. */
    @FunctionalInterface
    interface LongLongConsumer {
        /**
         * Receives one entry.
         *
         * @param key the key
         * @param value the value
         */
        void accept(long key, long value);
    }
}
