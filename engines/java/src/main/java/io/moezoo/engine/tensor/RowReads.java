package io.moezoo.engine.tensor;

/**
 * Whether a {@link WeightMatrix} hands its codec a staged copy of a row instead of the stored
 * bytes. On Java 17 and 18 the Vector API's loads from a {@code ByteBuffer} re-read the buffer's
 * fields and bounds each time (about 15 instructions a load), while a load from a heap array is one
 * instruction; copying the row to a heap array of the calling thread first (a bulk copy, which
 * streams at memory speed) then pays: on mapped Q8_0 rows (2 threads, AVX-512) the row kernel went
 * from 5.5 to 11 GB/s, and the 2-layer OLMoE benchmark's decode from 24.6 to 31.7 tokens/s at Q8_0
 * and 21.4 to 32.4 at BF16. On Java 22 and later the segment loads are cheap and staging does not
 * pay (at BF16 it is several times slower), so rows are read in place.
 *
 * <p>{@code -Dmoezoo.engine.stageRows=true|false} overrides the choice (for measurements); it
 * changes no computed value.
 */
final class RowReads {

    /** Whether rows are copied to a heap array before their product. */
    static final boolean STAGE =
            Boolean.parseBoolean(
                    System.getProperty(
                            "moezoo.engine.stageRows",
                            String.valueOf(
                                    Codecs.vectorized() && Runtime.version().feature() <= 18)));

    private static final ThreadLocal<StoredBytes[]> STAGING =
            ThreadLocal.withInitial(() -> new StoredBytes[] {StoredBytes.heap(0)});

    private RowReads() {}

    /**
     * Copies bytes to this thread's staging array.
     *
     * @param chunk the stored bytes
     * @param offset the first byte
     * @param length the bytes
     * @return the copy, from byte 0 (valid until this thread's next call)
     */
    static StoredBytes stage(StoredBytes chunk, int offset, int length) {
        StoredBytes[] holder = STAGING.get();
        StoredBytes staging = holder[0];
        if (staging.capacity() < length) {
            staging = StoredBytes.heap(length);
            holder[0] = staging;
        }
        chunk.buffer().get(offset, staging.buffer().array(), 0, length);
        return staging;
    }
}
