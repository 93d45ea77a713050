package io.moezoo.engine.kernel.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moezoo.engine.tensor.ArrayDot;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Vector API's array operations against their plain-Java forms ({@link ArrayDot#SCALAR}) on
 * lengths around the vector width and offsets that are not lane-aligned: {@code addScaled} within
 * the product's rounding (the vector form fuses the multiply-add), {@code expShifted} within 2 ulps
 * per value and its sum within n rounding steps (the summation order differs); {@code rowsByTokens}
 * exactly on integer data for every tile shape.
 */
class VectorArrayDotTest {

    private static final ArrayDot VECTOR = new VectorArrayDot();
    private static final int[] LENGTHS = {0, 1, 7, 15, 16, 17, 31, 33, 64, 100, 1027};

    @Test
    void addScaledMatchesScalar() {
        Random random = new Random(3);
        for (int n : LENGTHS) {
            for (int xOffset : new int[] {0, 3}) {
                for (int yOffset : new int[] {0, 5}) {
                    float[] x = gaussian(random, xOffset + n);
                    float[] y = gaussian(random, yOffset + n + 2);
                    float a = (float) random.nextGaussian();
                    float[] expected = y.clone();
                    ArrayDot.SCALAR.addScaled(a, x, xOffset, expected, yOffset, n);
                    float[] actual = y.clone();
                    VECTOR.addScaled(a, x, xOffset, actual, yOffset, n);
                    for (int i = 0; i < y.length; i++) {
                        boolean inside = i >= yOffset && i < yOffset + n;
                        // Fused or not, the two differ by at most the product's rounding.
                        float product = inside ? a * x[i - yOffset + xOffset] : 0;
                        float tolerance = inside ? ulp(product) + ulp(expected[i]) : 0;
                        assertEquals(expected[i], actual[i], tolerance, "n=" + n + " i=" + i);
                    }
                }
            }
        }
    }

    @Test
    void rowsByTokensIsTheBruteForceSumForEveryTileShape() {
        // Small integers: every partial sum is exact, so the vector kernels (8 rows x 1 or 2 token
        // vectors, the short-tile loop) and the plain-Java form must agree to the bit with a
        // brute-force sum, accumulating or not, from any row, column and block offset.
        Random random = new Random(6);
        int lanes = VECTOR.tokenLanes();
        int cols = 300;
        float[][] rows = new float[11][cols];
        for (float[] row : rows) {
            for (int k = 0; k < cols; k++) {
                row[k] = random.nextInt(9) - 4;
            }
        }
        for (int width : new int[] {lanes, 2 * lanes, 3, 1}) {
            for (int count : new int[] {8, 3, 1}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    int first = 2;
                    int from = 37;
                    int n = 200;
                    int xtOff = 5;
                    float[] xT = new float[xtOff + n * width];
                    for (int i = 0; i < xT.length; i++) {
                        xT[i] = random.nextInt(7) - 3;
                    }
                    int outOff = 4;
                    float[] start = new float[outOff + count * width + 3];
                    for (int i = 0; i < start.length; i++) {
                        start[i] = random.nextInt(5);
                    }
                    float[] want = start.clone();
                    for (int r = 0; r < count; r++) {
                        for (int j = 0; j < width; j++) {
                            float sum = accumulate ? start[outOff + r * width + j] : 0;
                            for (int k = 0; k < n; k++) {
                                sum += rows[first + r][from + k] * xT[xtOff + k * width + j];
                            }
                            want[outOff + r * width + j] = sum;
                        }
                    }
                    String what = "width " + width + ", rows " + count + ", acc " + accumulate;
                    for (ArrayDot dot : new ArrayDot[] {VECTOR, ArrayDot.SCALAR}) {
                        float[] out = start.clone();
                        dot.rowsByTokens(
                                rows,
                                first,
                                count,
                                from,
                                n,
                                xT,
                                xtOff,
                                width,
                                out,
                                outOff,
                                accumulate);
                        assertArrayEquals(want, out, what + " " + dot.getClass().getSimpleName());
                    }
                }
            }
        }
    }

    @Test
    void expShiftedMatchesMathExp() {
        Random random = new Random(4);
        for (int n : LENGTHS) {
            for (int from : new int[] {0, 1, 9}) {
                float[] x = new float[from + n + 3];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (random.nextGaussian() * 8);
                }
                float m = max(x, from, from + n);
                float[] expected = x.clone();
                float expectedSum = ArrayDot.SCALAR.expShifted(expected, from, from + n, m);
                float[] actual = x.clone();
                float sum = VECTOR.expShifted(actual, from, from + n, m);
                for (int i = 0; i < x.length; i++) {
                    boolean inside = i >= from && i < from + n;
                    float tolerance = inside ? 2 * ulp(expected[i]) : 0;
                    assertEquals(expected[i], actual[i], tolerance, "n=" + n + " i=" + i);
                }
                // Positive terms summed in another order: within n rounding steps of the sum.
                float sumTolerance = (n + 2) * Math.ulp(1f) * expectedSum;
                assertEquals(expectedSum, sum, sumTolerance, "n=" + n);
            }
        }
    }

    @Test
    void expShiftedHandlesTheSoftmaxExtremes() {
        // The maximum's own term is exactly 1; terms far below it underflow to 0, never NaN.
        float[] x = new float[40];
        Arrays.fill(x, -1e30f);
        x[17] = 2.5f;
        float sum = VECTOR.expShifted(x, 0, x.length, 2.5f);
        float[] expected = new float[40];
        expected[17] = 1f;
        assertArrayEquals(expected, x);
        assertEquals(1f, sum);
    }

    private static float ulp(float v) {
        return Math.ulp(Math.max(Math.abs(v), Float.MIN_NORMAL));
    }

    private static float max(float[] x, int from, int to) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            m = Math.max(m, x[i]);
        }
        return m;
    }

    private static float[] gaussian(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
