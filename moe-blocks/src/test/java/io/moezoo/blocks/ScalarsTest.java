package io.moezoo.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scalar operands must stay valid until the backward pass, whatever the garbage collector does. */
class ScalarsTest {

    @Test
    void scalarOperandSurvivesGarbageCollectionBeforeBackward() throws InterruptedException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1f, 2f, 3f});
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = x.mul(Scalars.of(0.125f, x)).pow(Scalars.of(2, x)).sum();
                // Free whatever is unreachable and hand the freed native memory out again.
                System.gc();
                Thread.sleep(100);
                List<ByteBuffer> churn = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) {
                    churn.add(
                            ByteBuffer.allocateDirect(4)
                                    .order(ByteOrder.nativeOrder())
                                    .putFloat(0, 1e30f));
                }
                collector.backward(y);
                assertArrayEquals(
                        new float[] {0.03125f, 0.0625f, 0.09375f},
                        x.getGradient().toFloatArray(),
                        1e-7f);
            }
        }
    }
}
