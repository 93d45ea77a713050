package io.moezoo.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.moezoo.formats.Half;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Row staging ({@link RowReads}): the policy of this JDK, exact copies, and matrices whose rows
 * (staged on Java 17, read in place on Java 22+) give bit for bit what the codec computes on the
 * stored bytes themselves.
 */
class RowReadsTest {

    private static final Random RANDOM = new Random(7);

    @Test
    void stagesExactlyOnJava17WithTheVectorApi() {
        boolean expected =
                System.getProperty("moezoo.engine.stageRows") == null
                        ? Codecs.vectorized() && Runtime.version().feature() <= 18
                        : Boolean.getBoolean("moezoo.engine.stageRows");
        assertEquals(expected, RowReads.STAGE);
    }

    @Test
    void stagingCopiesTheBytesAndGrowsItsArray() {
        ByteBuffer stored = ByteBuffer.allocateDirect(5000);
        byte[] bytes = new byte[5000];
        RANDOM.nextBytes(bytes);
        stored.put(bytes).clear();
        StoredBytes chunk = StoredBytes.of(stored);
        StoredBytes small = RowReads.stage(chunk, 3, 100);
        for (int i = 0; i < 100; i++) {
            assertEquals(bytes[3 + i], small.get(i), "byte " + i);
        }
        StoredBytes large = RowReads.stage(chunk, 1000, 4000);
        assertNotSame(small, large, "a longer row needs a larger array");
        for (int i = 0; i < 4000; i++) {
            assertEquals(bytes[1000 + i], large.get(i), "byte " + i);
        }
        assertEquals(large, RowReads.stage(chunk, 0, 64), "the array is reused");
    }

    @Test
    void matrixRowsMatchTheCodecOnTheStoredBytes() {
        int rows = 7;
        int cols = 96;
        for (WeightFormat format :
                new WeightFormat[] {
                    WeightFormat.F32,
                    WeightFormat.F16,
                    WeightFormat.BF16,
                    WeightFormat.Q8_0,
                    WeightFormat.Q4_0
                }) {
            int rowBytes = (int) format.rowBytes(cols);
            ByteBuffer data = rows(format, rows, cols);
            // Two chunks (4 rows, then 3), as a tensor over 2 GiB would be cut.
            ByteBuffer[] chunks = {
                slice(data, 0, 4 * rowBytes), slice(data, 4 * rowBytes, 3 * rowBytes)
            };
            WeightMatrix matrix = WeightMatrix.of(format, rows, cols, chunks, 4);
            RowCodec codec = Codecs.of(format);
            StoredBytes whole = StoredBytes.of(data);
            float[] x = new float[cols];
            for (int i = 0; i < cols; i++) {
                x[i] = (float) RANDOM.nextGaussian();
            }
            for (int r = 0; r < rows; r++) {
                assertEquals(
                        Float.floatToRawIntBits(codec.dot(whole, r * rowBytes, x, 0, cols)),
                        Float.floatToRawIntBits(matrix.dot(r, x, 0)),
                        format + " row " + r);
                float[] expected = new float[cols];
                float[] actual = new float[cols];
                codec.decode(whole, r * rowBytes, expected, 0, cols);
                matrix.decodeRow(r, actual, 0);
                assertArrayEquals(expected, actual, format + " row " + r);
            }
        }
    }

    @Test
    void fp8AndMxfp4RowsMatchTheirCodecsOnTheStoredBytes() {
        int rows = 5;
        int cols = 64;
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = (float) RANDOM.nextGaussian();
        }
        ByteBuffer e4m3 = ByteBuffer.allocateDirect(rows * cols);
        for (int i = 0; i < rows * cols; i++) {
            e4m3.put(i, (byte) (RANDOM.nextInt(256) & 0xf7)); // never 0x7f/0xff (NaN)
        }
        float[] scales = {0.5f, 2f, 0.25f, 1f, 3f};
        WeightMatrix fp8 =
                WeightMatrix.fp8(rows, cols, new ByteBuffer[] {e4m3}, rows, scales, 1, cols);
        RowCodec codec = Codecs.of(WeightFormat.F8_E4M3);
        StoredBytes whole = StoredBytes.of(e4m3);
        for (int r = 0; r < rows; r++) {
            assertEquals(
                    Float.floatToRawIntBits(scales[r] * codec.dot(whole, r * cols, x, 0, cols)),
                    Float.floatToRawIntBits(fp8.dot(r, x, 0)),
                    "FP8 row " + r);
        }
        ByteBuffer blocks = ByteBuffer.allocateDirect(rows * cols / 2);
        ByteBuffer scaleBytes = ByteBuffer.allocateDirect(rows * cols / 32);
        for (int i = 0; i < blocks.capacity(); i++) {
            blocks.put(i, (byte) RANDOM.nextInt(256));
        }
        for (int i = 0; i < scaleBytes.capacity(); i++) {
            scaleBytes.put(i, (byte) (120 + RANDOM.nextInt(12)));
        }
        WeightMatrix mxfp4 =
                WeightMatrix.mxfp4(
                        rows, cols, new ByteBuffer[] {blocks}, new ByteBuffer[] {scaleBytes}, rows);
        Mxfp4Codec mx = Codecs.mxfp4();
        for (int r = 0; r < rows; r++) {
            float expected =
                    mx.dot(
                            StoredBytes.of(blocks),
                            r * cols / 2,
                            StoredBytes.of(scaleBytes),
                            r * cols / 32,
                            x,
                            0,
                            cols);
            assertEquals(
                    Float.floatToRawIntBits(expected),
                    Float.floatToRawIntBits(mxfp4.dot(r, x, 0)),
                    "MXFP4 row " + r);
        }
    }

    /** Direct little-endian rows of finite values. */
    private static ByteBuffer rows(WeightFormat format, int rows, int cols) {
        int count = rows * cols;
        ByteBuffer b =
                ByteBuffer.allocateDirect((int) format.rowBytes(cols) * rows)
                        .order(ByteOrder.LITTLE_ENDIAN);
        int blocks = count / format.blockSize();
        for (int i = 0; i < blocks; i++) {
            float v = (float) RANDOM.nextGaussian();
            int at = i * format.blockBytes();
            switch (format) {
                case F32 -> b.putFloat(at, v);
                case F16 -> b.putShort(at, Half.toF16(v));
                case BF16 -> b.putShort(at, (short) (Float.floatToRawIntBits(v) >>> 16));
                case Q8_0, Q4_0 -> {
                    b.putShort(at, Half.toF16(0.01f * Math.abs(v) + 1e-4f));
                    for (int k = 2; k < format.blockBytes(); k++) {
                        b.put(at + k, (byte) RANDOM.nextInt(256));
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        return b;
    }

    private static ByteBuffer slice(ByteBuffer data, int from, int length) {
        return data.duplicate().position(from).limit(from + length).slice();
    }
}
