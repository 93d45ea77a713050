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
 * Runs in JVMs where the kernel cannot work, each a surefire execution of its own: JDK 17 without
 * {@code --add-modules jdk.incubator.vector} ({@code no-vector-module}), and a JDK 20+ with the
 * module, whose Vector API no longer reads byte buffers ({@code newer-jdk}, when one is installed
 * under /usr/lib/jvm). The kernel must report itself unavailable, MatVec must skip it and every
 * product must go to PyTorch, without a linkage error.
 */
class KernelUnavailableIT {

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
