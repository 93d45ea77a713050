package io.moezoo.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.moezoo.engine.tensor.WeightFormat;
import io.moezoo.engine.tensor.WeightMatrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * {@link MatrixOps#forEachUnit}: every unit lands where it belongs, once each, on the calling
 * thread alone (small work) and shared with the kernel threads (large work), also when there are
 * fewer units than threads (stripes of one unit); a unit's failure reaches the caller. {@link
 * MatrixOps#run}: a batch of products of very different sizes (units from 64 KB up to the 1 MB cap,
 * products whose rows the unit size does not divide) equals plain dot products, and so do products
 * of 1 to 128 tokens on each of their paths (in place, {@code dot4x4}, {@link TokenBlocks}).
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
    void fewerUnitsThanThreadsStillRunOnceEach() {
        for (int count = 1; count <= 5; count++) {
            float[] out = new float[count];
            java.util.Arrays.fill(out, Float.NaN);
            AtomicIntegerArray calls = new AtomicIntegerArray(count);
            MatrixOps.forEachUnit(
                    count,
                    1,
                    out,
                    0,
                    1L << 30,
                    (u, dst, at) -> {
                        calls.incrementAndGet(u);
                        dst[at] = u + 0.5f;
                    });
            for (int u = 0; u < count; u++) {
                assertEquals(u + 0.5f, out[u], "unit " + u + " of " + count);
                assertEquals(1, Math.min(1, calls.get(u)), "unit " + u + " of " + count + " ran");
            }
        }
    }

    private static WeightMatrix f32(int rows, int cols, Random random, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * rows * cols).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows * cols; i++) {
            values[i] = random.nextInt(17) - 8; // small integers: every sum is exact
            bytes.putFloat(values[i]);
        }
        return WeightMatrix.of(WeightFormat.F32, rows, cols, bytes.flip());
    }

    @Test
    void aBatchOfProductsOfManySizesEqualsPlainDots() {
        Random random = new Random(5);
        int cols = 256;
        // 1 KB rows: 3 rows, 700 rows, 9,999 rows (about 10 MB) and 30,001 rows (about 31 MB),
        // so the batch's units hit the 1 MB cap and the last unit of each product is partial.
        int[] rowCounts = {3, 700, 9_999, 30_001};
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = random.nextInt(9) - 4;
        }
        for (int[] sizes : new int[][] {rowCounts, {rowCounts[0], rowCounts[1]}}) {
            List<Product> products = new ArrayList<>();
            List<float[]> weights = new ArrayList<>();
            for (int rows : sizes) {
                float[] w = new float[rows * cols];
                products.add(Product.of(f32(rows, cols, random, w), x, new float[rows]));
                weights.add(w);
            }
            MatrixOps.run(products);
            for (int p = 0; p < sizes.length; p++) {
                float[] w = weights.get(p);
                float[] want = new float[sizes[p]];
                for (int r = 0; r < sizes[p]; r++) {
                    float sum = 0;
                    for (int c = 0; c < cols; c++) {
                        sum += w[r * cols + c] * x[c];
                    }
                    want[r] = sum;
                }
                assertArrayEquals(want, products.get(p).y(), "product of " + sizes[p] + " rows");
            }
        }
    }

    @Test
    void productsOfManyTokensEqualPlainDotsOnEveryPath() {
        // Integer data, so every path is exact: tokens read in place (1-3), dot4x4 tiles (4-7)
        // and token blocks (8 and more: one vector of lanes, two, several, padded); row counts
        // that are not whole tiles, columns that are not whole chunks, inputs at an offset, and
        // two products sharing one input (one TokenBlocks) beside one reading it at another offset.
        Random random = new Random(9);
        for (int tokens : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 50, 128}) {
            for (int cols : new int[] {40, 300}) {
                int xOffset = 3 * cols;
                float[] x = new float[xOffset + (tokens + 1) * cols];
                for (int i = 0; i < x.length; i++) {
                    x[i] = random.nextInt(9) - 4;
                }
                int[] rowCounts = {37, 301, 64};
                int[] offsets = {xOffset, xOffset, xOffset + cols};
                List<Product> products = new ArrayList<>();
                List<float[]> weights = new ArrayList<>();
                for (int p = 0; p < rowCounts.length; p++) {
                    float[] w = new float[rowCounts[p] * cols];
                    WeightMatrix m = f32(rowCounts[p], cols, random, w);
                    float[] y = new float[2 + tokens * rowCounts[p]];
                    products.add(new Product(m, x, offsets[p], y, 2, tokens));
                    weights.add(w);
                }
                MatrixOps.run(products);
                for (int p = 0; p < rowCounts.length; p++) {
                    int rows = rowCounts[p];
                    float[] want = new float[2 + tokens * rows];
                    for (int t = 0; t < tokens; t++) {
                        for (int r = 0; r < rows; r++) {
                            float sum = 0;
                            for (int c = 0; c < cols; c++) {
                                sum += weights.get(p)[r * cols + c] * x[offsets[p] + t * cols + c];
                            }
                            want[2 + t * rows + r] = sum;
                        }
                    }
                    assertArrayEquals(
                            want,
                            products.get(p).y(),
                            tokens + " tokens, " + rows + " rows of " + cols);
                }
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
