package io.moezoo.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * {@link MatrixOps#forEachUnit}: every unit lands where it belongs, once each, on the calling
 * thread alone (small work) and shared with the kernel threads (large work); a unit's failure
 * reaches the caller.
 */
class MatrixOpsTest {

    private static float[] expected(int count, int width, int offset) {
        float[] out = new float[offset + count * width + 2];
        for (int u = 0; u < count; u++) {
            for (int i = 0; i < width; i++) {
                out[offset + u * width + i] = u * 1000 + i;
            }
        }
        return out;
    }

    @Test
    void everyUnitIsWrittenToItsOwnPlaceAlonePublishedOrShared() {
        int count = 257;
        int width = 7;
        int offset = 3;
        for (long work : new long[] {1, 1L << 30}) {
            float[] out = new float[offset + count * width + 2];
            java.util.Arrays.fill(out, Float.NaN); // a unit must overwrite whatever is there
            out[0] = out[1] = out[2] = 0;
            out[out.length - 1] = out[out.length - 2] = 0;
            AtomicIntegerArray calls = new AtomicIntegerArray(count);
            MatrixOps.forEachUnit(
                    count,
                    width,
                    out,
                    offset,
                    work,
                    (u, dst, at) -> {
                        calls.incrementAndGet(u);
                        for (int i = 0; i < width; i++) {
                            dst[at + i] = u * 1000 + i;
                        }
                    });
            assertArrayEquals(expected(count, width, offset), out, "work " + work);
            for (int u = 0; u < count; u++) {
                // A unit a helper holds may be taken over (then computed twice, written once).
                assertEquals(1, Math.min(1, calls.get(u)), "unit " + u + " ran");
            }
        }
    }

    @Test
    void aFailingUnitReachesTheCaller() {
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                MatrixOps.forEachUnit(
                                        64,
                                        1,
                                        new float[64],
                                        0,
                                        1L << 30,
                                        (u, dst, at) -> {
                                            if (u == 40) {
                                                throw new IllegalStateException("unit 40");
                                            }
                                            dst[at] = u;
                                        }));
        assertEquals("unit 40", e.getMessage());
    }
}
