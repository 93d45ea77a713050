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

/** gpt-oss's clamped SwiGLU expert against the formula computed by hand. */
class ClampedSwiGluExpertsTest {

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** y = W_d ((clamp(u) + 1) · min(g, 7) · σ(1.702 · min(g, 7))) + b_d for H = 2, I = 1. */
    private static float[] expected(float x0, float x1) {
        double g = Math.min(x0 + 0.5, 7);
        double u = Math.max(-7, Math.min(7, x1 - 0.5));
        double a = (u + 1) * g * sigmoid(1.702 * g);
        return new float[] {(float) (2 * a + 0.1), (float) (-a + 0.2)};
    }

    @Test
    void clampsTheGateAboveAndTheUpProjectionBothSides() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClampedSwiGluExperts experts =
                    MoeTestSupport.init(
                            new ClampedSwiGluExperts(ClampedSwiGluExpertSpec.of(1, 2, 1)),
                            manager,
                            -1,
                            2);
            // gate row reads x0, up row reads x1
            WeightAssignment.assign(
                    experts.getGateUpProj(),
                    manager.create(new float[] {1, 0, 0, 1}, new Shape(1, 2, 2)));
            WeightAssignment.assign(
                    experts.getGateUpBias(),
                    manager.create(new float[] {0.5f, -0.5f}, new Shape(1, 2)));
            WeightAssignment.assign(
                    experts.getDownProj(), manager.create(new float[] {2, -1}, new Shape(1, 2, 1)));
            WeightAssignment.assign(
                    experts.getDownBias(),
                    manager.create(new float[] {0.1f, 0.2f}, new Shape(1, 2)));
            ParameterStore ps = new ParameterStore(manager, false);
            // no clamp; up clamped at 7; gate clamped at 7 and up at -7
            float[][] inputs = {{0.3f, -1.2f}, {3f, 9f}, {10f, -9f}};
            NDArray x =
                    manager.create(new float[] {0.3f, -1.2f, 3f, 9f, 10f, -9f}, new Shape(3, 2));
            float[] got = experts.forwardGrouped(ps, x, new int[] {3}, false).toFloatArray();
            for (int t = 0; t < inputs.length; t++) {
                float[] want = expected(inputs[t][0], inputs[t][1]);
                assertArrayEquals(
                        want, new float[] {got[2 * t], got[2 * t + 1]}, 1e-5f, "token " + t);
            }
        }
    }
}
