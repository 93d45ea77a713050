package io.moezoo.blocks.residual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.moezoo.blocks.MoeTestSupport;
import org.junit.jupiter.api.Test;

/** The dense GELU MLP against tabulated GELU values. */
class GeluFeedForwardTest {

    @Test
    void computesSecondLinearOfGeluOfFirst() {
        // H = I = 1, W₁ = 1, b₁ = 0, W₂ = 1, b₂ = 0.5: y = GELU(x) + 0.5, with GELU(x) = x·Φ(x):
        // GELU(1) = 0.841345, GELU(-1) = -0.158655, GELU(0) = 0, GELU(2) = 1.954500.
        try (NDManager m = NDManager.newBaseManager()) {
            GeluFeedForward mlp = MoeTestSupport.init(new GeluFeedForward(1, 1), m, -1, 1);
            for (Pair<String, Parameter> p : mlp.getParameters()) {
                float v =
                        p.getKey().equals("02fc2_bias")
                                ? 0.5f
                                : p.getKey().endsWith("bias") ? 0 : 1;
                p.getValue().getArray().set(new float[] {v});
            }
            NDArray x = m.create(new float[] {1f, -1f, 0f, 2f}, new Shape(4, 1));
            RoutedOutput out = mlp.forwardRouted(new ParameterStore(m, false), x, false);
            assertArrayEquals(
                    new float[] {1.341345f, 0.341345f, 0.5f, 2.454500f},
                    out.output().toFloatArray(),
                    2e-3f);
            assertNull(out.routing());
        }
    }

    @Test
    void rejectsNonPositiveSizes() {
        assertThrows(IllegalArgumentException.class, () -> new GeluFeedForward(0, 4));
        assertThrows(IllegalArgumentException.class, () -> new GeluFeedForward(4, -1));
    }
}
