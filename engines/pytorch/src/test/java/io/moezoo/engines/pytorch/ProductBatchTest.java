package io.moezoo.engines.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chunk protocol of {@link ProductBatch}: backups of stalled chunks, publish-once. */
class ProductBatchTest {

    private static final int ROWS = 64;
    private static final int COLUMNS = 96;

    private final Random rng = new Random(11);
    private final float[] weights = new float[ROWS * COLUMNS];
    private final ByteBuffer buffer =
            ByteBuffer.allocateDirect(ROWS * COLUMNS * Float.BYTES).order(ByteOrder.nativeOrder());
    private final float[] x = new float[COLUMNS];

    ProductBatchTest() {
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) rng.nextGaussian();
            buffer.putFloat(i * Float.BYTES, weights[i]);
        }
        for (int i = 0; i < COLUMNS; i++) {
            x[i] = (float) rng.nextGaussian();
        }
    }

    private float[] oracle() {
        return VectorMatVecKernelTest.oracle(weights, x, ROWS, COLUMNS);
    }

    @Test
    void chunksHoldAtLeastOneRowAndCoverEveryRow() {
        float[] y = new float[ROWS];
        ProductBatch batch = new ProductBatch(List.of(new VectorGemv.Product(buffer, 0, x, y)), 1);
        assertEquals(ROWS, batch.size());
        ProductBatch eight =
                new ProductBatch(
                        List.of(new VectorGemv.Product(buffer, 0, x, y)),
                        8 * COLUMNS * Float.BYTES);
        assertEquals(ROWS / 8, eight.size());
    }

    @Test
    @Timeout(60) // without the backup, run() would wait forever for the held chunk
    void theCallerBacksUpAChunkAStalledHelperHoldsAndTheLateHelperPublishesNothing() {
        float[] y = new float[ROWS];
        ProductBatch batch =
                new ProductBatch(
                        List.of(new VectorGemv.Product(buffer, 0, x, y)),
                        16 * COLUMNS * Float.BYTES);
        // A helper claims the first chunk and loses its processor before computing it.
        int held = batch.claim();
        assertEquals(0, held);
        batch.run(); // the caller computes the other chunks, then the held one
        float[] expected = oracle();
        for (int r = 0; r < ROWS; r++) {
            assertEquals(expected[r], y[r], 1e-4f * (1 + Math.abs(expected[r])), "row " + r);
        }
        // The helper resumes after the caller returned: its copy is discarded, y is untouched.
        float[] published = y.clone();
        y[0] = Float.NaN; // would be overwritten by a second publication
        assertFalse(batch.compute(held));
        assertTrue(Float.isNaN(y[0]));
        y[0] = published[0];
        assertArrayEquals(published, y);
        assertEquals(-1, batch.claim());
    }

    @Test
    void aHelperRunningAlongsideGivesTheSameResult() throws InterruptedException {
        for (int round = 0; round < 50; round++) {
            float[] y = new float[ROWS / 2];
            ProductBatch batch =
                    new ProductBatch(
                            List.of(
                                    new VectorGemv.Product(buffer, 0, x, new float[ROWS / 2]),
                                    new VectorGemv.Product(
                                            buffer, ROWS / 2 * COLUMNS * Float.BYTES, x, y)),
                            2 * COLUMNS * Float.BYTES);
            Thread helper = new Thread(batch::help);
            helper.start();
            batch.run();
            helper.join();
            float[] expected = oracle();
            for (int r = 0; r < ROWS / 2; r++) {
                assertEquals(
                        expected[ROWS / 2 + r],
                        y[r],
                        1e-4f * (1 + Math.abs(expected[ROWS / 2 + r])),
                        "row " + r);
            }
        }
    }
}
