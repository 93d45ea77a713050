package io.moezoo.models.timeseries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.moezoo.blocks.loss.MoeLoss;
import org.junit.jupiter.api.Test;

/** Huber loss and Time-MoE's multi-head loss against hand-computed values. */
class HuberLossTest {

    @Test
    void valuesAndGradientMatchHandComputation() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray r = manager.create(new float[] {-3f, -2f, -0.5f, 0f, 1f, 2.5f});
            r.setRequiresGradient(true);
            float[] values;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = HuberLoss.elementwise(r, 2f);
                values = loss.toFloatArray();
                collector.backward(loss.sum());
            }
            // 1/2 r^2 for |r| <= 2, else 2 (|r| - 1)
            assertArrayEquals(new float[] {4f, 2f, 0.125f, 0f, 0.5f, 3f}, values, 1e-6f);
            // r inside the band, 2 sign(r) outside
            assertArrayEquals(
                    new float[] {-2f, -2f, -0.5f, 0f, 1f, 2f},
                    r.getGradient().toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void rejectsNonPositiveDelta() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray r = manager.create(new float[] {1f});
            assertThrows(IllegalArgumentException.class, () -> HuberLoss.elementwise(r, 0f));
        }
    }

    @Test
    void multiHeadLossAveragesMaskedHeadsAndAddsAux() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // B = 1, S = 2, heads of length 1 and 2, maxH = 2
            NDArray targets = manager.create(new float[] {1f, 2f, 2f, 0f}, new Shape(1, 2, 2));
            NDArray mask = manager.create(new float[] {1f, 1f, 1f, 0f}, new Shape(1, 2, 2));
            NDArray head1 = manager.create(new float[] {0f, 5f}, new Shape(1, 2, 1));
            head1.setName("horizon_1");
            NDArray head2 = manager.create(new float[] {1.5f, 2f, 2f, 100f}, new Shape(1, 2, 2));
            head2.setName("horizon_2");
            NDArray aux = manager.create(0.25f);
            aux.setName(MoeLoss.AUX_LOSS);
            // head 1: residuals -1 (0.5), 3 (2*(3-1)=4) -> mean 2.25
            // head 2: residuals 0.5 (0.125), 0 (0), 0 (0), masked -> 0.125 / 3
            double expected = (2.25 + 0.125 / 3) / 2 + 0.25;
            float loss =
                    new TimeMoeLoss(2f)
                            .evaluate(new NDList(targets, mask), new NDList(head1, head2, aux))
                            .getFloat();
            assertEquals(expected, loss, 1e-6);
        }
    }
}
