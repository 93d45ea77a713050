package io.moezoo.engines.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moezoo.blocks.kernel.MatVec;
import org.junit.jupiter.api.Test;

/**
 * Runs in its own JVM without {@code --add-modules jdk.incubator.vector} (the {@code
 * no-vector-module} surefire execution): the kernel reports itself unavailable, MatVec skips it and
 * every product goes to PyTorch.
 */
class WithoutVectorModuleIT {

    @Test
    void matVecFallsBackToTheEngine() {
        assertFalse(new VectorMatVecKernel().isAvailable());
        assertNull(MatVec.kernelName());
        assertFalse(MatVec.isEnabled());
        MatVec.setMinElements(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] y =
                    MatVec.linear(
                                    manager.create(new float[] {1, -1, 2}, new Shape(1, 3)),
                                    manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3)))
                            .toFloatArray();
            assertArrayEquals(new float[] {5, 11}, y);
            assertEquals(0, MatVec.kernelCalls());
        } finally {
            MatVec.setMinElements(MatVec.DEFAULT_MIN_ELEMENTS);
        }
    }
}
