package io.moezoo.blocks.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.MoeTestSupport;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;
import io.moezoo.blocks.surgery.WeightAssignment;
import org.junit.jupiter.api.Test;

/** The gpt-oss router: logits x·Wᵀ + b, top-k on the logits, softmax over the k. */
class RouterBiasTest {

    @Test
    void biasedTopKSoftmaxMatchesHandComputedWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Router router = RouterKinds.create(TopKSoftmaxSpec.of(4, 2).withBias(true));
            MoeTestSupport.init(router, manager, 2, 2);
            assertEquals(new Shape(4), router.getDirectParameters().get("bias").getShape());
            WeightAssignment.assign(
                    router.getDirectParameters().get("weight"),
                    manager.create(new float[] {1, 0, 0, 1, 1, 1, -1, 0}, new Shape(4, 2)));
            WeightAssignment.assign(
                    router.getDirectParameters().get("bias"),
                    manager.create(new float[] {0.5f, -0.25f, -1f, 2f}));
            ParameterStore ps = MoeTestSupport.store(manager);
            NDArray x = manager.create(new float[] {1, 2, 0, 0}, new Shape(2, 2));
            RoutingDecision d = router.route(ps, x, 2, false);
            // Token 0: logits [1.5, 1.75, 2, 1] → experts 2, 1; softmax([2, 1.75]).
            // Token 1: logits = b = [0.5, -0.25, -1, 2] → experts 3, 0; softmax([2, 0.5]).
            assertArrayEquals(
                    new float[] {1.5f, 1.75f, 2f, 1f, 0.5f, -0.25f, -1f, 2f},
                    d.getLogits().toFloatArray(),
                    1e-6f);
            assertArrayEquals(new int[] {2, 1, 3, 0}, d.getExperts());
            float w0 = (float) (1 / (1 + Math.exp(-0.25)));
            float w1 = (float) (1 / (1 + Math.exp(-1.5)));
            assertArrayEquals(
                    new float[] {w0, 1 - w0, w1, 1 - w1}, d.getWeights().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void routersWithoutBiasHaveNoBiasParameter() {
        Router router = RouterKinds.create(TopKSoftmaxSpec.of(4, 2));
        assertFalse(router.getDirectParameters().contains("bias"));
    }
}
