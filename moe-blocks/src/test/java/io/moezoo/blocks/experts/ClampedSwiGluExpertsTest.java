package io.moezoo.blocks.experts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.MoeTestSupport;
import io.moezoo.blocks.spec.ClampedSwiGluExpertSpec;
import io.moezoo.blocks.surgery.WeightAssignment;
import org.junit.jupiter.api.Test;

/** gpt-oss experts on hand-picked numbers that hit every clamp. */
class ClampedSwiGluExpertsTest {

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** (u + 1) · g · σ(α g) after the clamps, limit 7, α 1.702. */
    private static double glu(double g, double u) {
        double gc = Math.min(g, 7);
        double uc = Math.max(-7, Math.min(u, 7));
        return (uc + 1) * gc * sigmoid(1.702 * gc);
    }

    private static ClampedSwiGluExperts bank(NDManager manager) {
        ClampedSwiGluExperts bank = new ClampedSwiGluExperts(ClampedSwiGluExpertSpec.of(2, 2, 1));
        MoeTestSupport.init(bank, manager, 2, 2, 2);
        // Expert 0: gate [1, 2] + 0.25, up [0.5, -1] + 0.1, down [2, -1] + [0.3, -0.2].
        // Expert 1: gate [-1, 0.5], up [0, 1], down [1, 0.5] + [0, 1].
        WeightAssignment.assign(
                bank.getGateUpProj(),
                manager.create(new float[] {1, 2, 0.5f, -1, -1, 0.5f, 0, 1}, new Shape(2, 2, 2)));
        WeightAssignment.assign(
                bank.getGateUpBias(),
                manager.create(new float[] {0.25f, 0.1f, 0, 0}, new Shape(2, 2)));
        WeightAssignment.assign(
                bank.getDownProj(),
                manager.create(new float[] {2, -1, 1, 0.5f}, new Shape(2, 2, 1)));
        WeightAssignment.assign(
                bank.getDownBias(),
                manager.create(new float[] {0.3f, -0.2f, 0, 1}, new Shape(2, 2)));
        return bank;
    }

    /** The expected outputs of rows x0 = [1, 3] (expert 0), x1 = [0, 10], x2 = [-9, -20] (1). */
    private static float[] expected() {
        double h0 = glu(7.25, -2.4); // gate 7.25 clamped to 7
        double h1 = glu(5, 10); // up 10 clamped to 7
        double h2 = glu(-1, -20); // up -20 clamped to -7, negative gate
        return new float[] {
            (float) (2 * h0 + 0.3), (float) (-h0 - 0.2),
            (float) h1, (float) (0.5 * h1 + 1),
            (float) h2, (float) (0.5 * h2 + 1)
        };
    }

    @Test
    void groupedRowsMatchTheHandComputedFormula() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClampedSwiGluExperts bank = bank(manager);
            ParameterStore ps = MoeTestSupport.store(manager);
            NDArray rows = manager.create(new float[] {1, 3, 0, 10, -9, -20}, new Shape(3, 2));
            float[] y = bank.forwardGrouped(ps, rows, new int[] {1, 2}, false).toFloatArray();
            assertArrayEquals(expected(), y, 1e-4f);
        }
    }

    @Test
    void paddedBufferMatchesTheHandComputedFormula() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClampedSwiGluExperts bank = bank(manager);
            ParameterStore ps = MoeTestSupport.store(manager);
            NDArray buffer =
                    manager.create(new float[] {1, 3, 1, 3, 0, 10, -9, -20}, new Shape(2, 2, 2));
            float[] y = bank.forwardPadded(ps, buffer, false).toFloatArray();
            float[] e = expected();
            float[] padded = {e[0], e[1], e[0], e[1], e[2], e[3], e[4], e[5]};
            assertArrayEquals(padded, y, 1e-4f);
        }
    }
}
