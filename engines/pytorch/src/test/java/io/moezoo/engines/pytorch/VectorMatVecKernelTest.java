package io.moezoo.engines.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.moezoo.blocks.kernel.MatVec;
import io.moezoo.blocks.kernel.RowProduct;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VectorMatVecKernelTest {

    private final VectorMatVecKernel kernel = new VectorMatVecKernel();

    private static float[] gaussian(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    /** y = W x in double precision: the oracle (also of {@link ProductBatchTest}). */
    static float[] oracle(float[] w, float[] x, int rows, int columns) {
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int k = 0; k < columns; k++) {
                s += (double) w[r * columns + k] * x[k];
            }
            y[r] = (float) s;
        }
        return y;
    }

    private static void assertClose(float[] expected, float[] actual, int columns) {
        assertEquals(expected.length, actual.length);
        // float32 summation of `columns` unit-variance products: error grows like sqrt(columns).
        float tolerance = 1e-6f * columns;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, "row " + i);
        }
    }

    @Test
    void theVectorModuleIsPresentInTheTestJvm() {
        assertTrue(kernel.isAvailable(), "surefire adds jdk.incubator.vector");
        assertEquals(
                kernel.name(), MatVec.kernelName(), "MatVec found the kernel by ServiceLoader");
    }

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({
        "1, 1", // all scalar tail
        "37, 3", // fewer columns than one vector
        "5, 100", // vectors plus a tail
        "3, 256", // exactly unrolled
        "1024, 1000", // parallel split, tail of 1000 % 64
        "2053, 515", // odd rows across threads
    })
    void matchesADoublePrecisionOracle(int rows, int columns) {
        Random rng = new Random(rows * 31L + columns);
        float[] w = gaussian(rng, rows * columns);
        float[] x = gaussian(rng, columns);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(w, new Shape(rows, columns));
            NDArray row = manager.create(x, new Shape(1, columns));
            assertTrue(kernel.supports(row, weight));
            NDArray y = kernel.multiply(row, weight);
            assertEquals(new Shape(1, rows), y.getShape());
            assertClose(oracle(w, x, rows, columns), y.toFloatArray(), columns);
        }
    }

    @Test
    void readsAnExpertSliceOfAStackedParameterInPlace() {
        int experts = 4;
        int rows = 48;
        int columns = 80;
        Random rng = new Random(3);
        float[] w = gaussian(rng, experts * rows * columns);
        float[] x = gaussian(rng, columns);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray stacked = manager.create(w, new Shape(experts, rows, columns));
            NDArray row = manager.create(x, new Shape(1, 1, columns));
            for (int e = 0; e < experts; e++) {
                float[] own = new float[rows * columns];
                System.arraycopy(w, e * rows * columns, own, 0, own.length);
                NDArray y = kernel.multiply(row, stacked.get(e));
                assertEquals(new Shape(1, 1, rows), y.getShape());
                assertClose(oracle(own, x, rows, columns), y.toFloatArray(), columns);
            }
        }
    }

    @Test
    void aContiguousWeightIsReadInPlaceAndItsNewContentIsSeenAfterASet() {
        int rows = 40;
        int columns = 24;
        Random rng = new Random(9);
        float[] first = gaussian(rng, rows * columns);
        float[] second = gaussian(rng, rows * columns);
        float[] x = gaussian(rng, columns);
        try (NDManager model = NDManager.newBaseManager();
                NDManager pass = NDManager.newBaseManager()) {
            NDArray weight = model.create(first, new Shape(rows, columns));
            assertTrue(VectorMatVecKernel.readsInPlace(weight), "contiguous: no copy");
            assertFalse(VectorMatVecKernel.readsInPlace(weight.transpose()), "transposed: copy");
            int before = model.getManagedArrays().size();
            NDArray row = pass.create(x, new Shape(1, columns));
            assertClose(
                    oracle(first, x, rows, columns),
                    kernel.multiply(row, weight).toFloatArray(),
                    columns);
            assertEquals(before, model.getManagedArrays().size(), "nothing attached to the owner");
            // set(Buffer) gives the tensor new storage: nothing may still read the old one
            weight.set(FloatBuffer.wrap(second));
            assertClose(
                    oracle(second, x, rows, columns),
                    kernel.multiply(row, weight).toFloatArray(),
                    columns);
        }
    }

    @Test
    void weightsClosedAsSoonAsTheirProductReturnsAreNotReadAfterwards() {
        // No thread may read a weight (or the call's contiguous copy of one) once multiplyRows has
        // returned, so the caller may close them at once (a read of freed memory would crash the
        // test JVM).
        int rows = 1024;
        int columns = 512; // 2 MiB per weight: parallel
        Random rng = new Random(13);
        float[] x = gaussian(rng, columns);
        float[] w = gaussian(rng, rows * columns);
        float[] expected = oracle(w, x, rows, columns);
        for (int round = 0; round < 200; round++) {
            try (NDManager model = NDManager.newBaseManager()) {
                NDArray weight = model.create(w, new Shape(rows, columns));
                NDArray strided = model.create(w, new Shape(columns, rows)).transpose();
                RowProduct inPlace = RowProduct.of(weight, x);
                RowProduct copied = RowProduct.of(strided, 0, 8, new float[rows]);
                kernel.multiplyRows(List.of(inPlace, copied));
                weight.close();
                strided.close();
                if (round % 50 == 0) {
                    assertClose(expected, inPlace.y(), columns);
                }
            }
        }
    }

    @Test
    void aTransposedWeightIsReadThroughATemporaryCopyThatDoesNotOutliveTheCall() {
        int rows = 30;
        int columns = 20;
        Random rng = new Random(5);
        float[] w = gaussian(rng, rows * columns);
        float[] x = gaussian(rng, rows);
        try (NDManager model = NDManager.newBaseManager();
                NDManager pass = NDManager.newBaseManager()) {
            NDArray stored = model.create(w, new Shape(rows, columns));
            NDArray transposed = stored.transpose(); // [columns, rows], not contiguous
            int before = model.getManagedArrays().size();
            NDArray y = kernel.multiply(pass.create(x, new Shape(1, rows)), transposed);
            float[] wt = new float[rows * columns];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    wt[c * rows + r] = w[r * columns + c];
                }
            }
            float[] expected = oracle(wt, x, columns, rows);
            assertClose(expected, y.toFloatArray(), rows);
            assertEquals(before, model.getManagedArrays().size(), "no copy kept by the owner");
        }
    }

    @Test
    void declinesWhatItCannotDo() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.ones(new Shape(8, 8));
            NDArray row = manager.ones(new Shape(1, 8));
            assertFalse(kernel.supports(row.toType(DataType.FLOAT64, false), weight));
            assertFalse(kernel.supports(row, weight.toType(DataType.FLOAT16, false)));
            // Recorded for autograd: the engine must compute it.
            weight.setRequiresGradient(true);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                assertFalse(kernel.supports(row, weight));
            }
        }
    }

    @Test
    void matVecKeepsGradientsByLeavingRecordedProductsToTheEngine() {
        MatVec.setMinElements(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            NDArray row = manager.create(new float[] {1, -1, 2}, new Shape(1, 3));
            weight.setRequiresGradient(true);
            long before = MatVec.kernelCalls();
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray y = MatVec.linear(row, weight);
                assertArrayEquals(new float[] {5, 11}, y.toFloatArray());
                collector.backward(y.sum());
            }
            assertEquals(before, MatVec.kernelCalls(), "the kernel was not used");
            // d(sum y)/dW = x for each row.
            assertArrayEquals(
                    new float[] {1, -1, 2, 1, -1, 2}, weight.getGradient().toFloatArray());
            // Outside the collector the same call runs on the kernel.
            weight.setRequiresGradient(false);
            assertArrayEquals(new float[] {5, 11}, MatVec.linear(row, weight).toFloatArray());
            assertEquals(before + 1, MatVec.kernelCalls());
            // Two rows (prefill): the engine.
            NDArray rows = manager.create(new float[] {1, -1, 2, 0, 0, 1}, new Shape(2, 3));
            assertArrayEquals(
                    new float[] {5, 11, 3, 6}, MatVec.linear(rows, weight).toFloatArray());
            assertEquals(before + 1, MatVec.kernelCalls());
        } finally {
            MatVec.setMinElements(MatVec.DEFAULT_MIN_ELEMENTS);
        }
    }

    @Test
    void concurrentCallersGetSequentialResults() throws Exception {
        int rows = 1500;
        int columns = 700;
        Random rng = new Random(9);
        float[] w = gaussian(rng, rows * columns);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(w, new Shape(rows, columns));
            List<float[]> inputs = new ArrayList<>();
            List<float[]> expected = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                float[] x = gaussian(rng, columns);
                inputs.add(x);
                expected.add(
                        kernel.multiply(manager.create(x, new Shape(1, columns)), weight)
                                .toFloatArray());
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<float[]>> results = new ArrayList<>();
                for (float[] x : inputs) {
                    results.add(
                            pool.submit(
                                    () -> {
                                        try (NDManager scope = manager.newSubManager()) {
                                            return kernel.multiply(
                                                            scope.create(x, new Shape(1, columns)),
                                                            weight)
                                                    .toFloatArray();
                                        }
                                    }));
                }
                for (int i = 0; i < inputs.size(); i++) {
                    // Each caller gets its own product (a mix-up would be off by far more), up to
                    // the last bits in which JIT tiers may order a lane reduction differently.
                    assertClose(expected.get(i), results.get(i).get(), columns);
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void aBatchOfRowProductsComputesEveryRowOfEveryProduct() {
        // Three products of different widths, one of them a row range inside a stacked weight
        // ("expert 2 of 3"), together above the size that splits work across threads.
        Random rng = new Random(11);
        int rows = 300;
        int wide = 1030;
        int narrow = 517;
        float[] stacked = gaussian(rng, 3 * rows * wide);
        float[] other = gaussian(rng, rows * narrow);
        float[] x1 = gaussian(rng, wide);
        float[] x2 = gaussian(rng, wide);
        float[] x3 = gaussian(rng, narrow);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray bank = manager.create(stacked, new Shape(3, rows, wide));
            NDArray matrix = manager.create(other, new Shape(rows, narrow));
            RowProduct expert2 = RowProduct.of(bank, 2L * rows, rows, x1);
            RowProduct expert0 = RowProduct.of(bank, 0, rows, x2);
            RowProduct plain = RowProduct.of(matrix, 0, rows, x3);
            for (int round = 0; round < 20; round++) {
                java.util.Arrays.fill(expert2.y(), Float.NaN);
                java.util.Arrays.fill(expert0.y(), Float.NaN);
                java.util.Arrays.fill(plain.y(), Float.NaN);
                kernel.multiplyRows(List.of(expert2, expert0, plain));
                float[] slice2 =
                        java.util.Arrays.copyOfRange(stacked, 2 * rows * wide, 3 * rows * wide);
                assertClose(oracle(slice2, x1, rows, wide), expert2.y(), wide);
                assertClose(oracle(stacked, x2, rows, wide), expert0.y(), wide);
                assertClose(oracle(other, x3, rows, narrow), plain.y(), narrow);
            }
            assertThrows(
                    IllegalArgumentException.class,
                    () -> RowProduct.of(bank, 2L * rows + 1, rows, x1));
        }
    }
}
