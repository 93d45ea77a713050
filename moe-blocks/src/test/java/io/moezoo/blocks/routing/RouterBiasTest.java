package io.moezoo.blocks.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.MoeTestSupport;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;
import io.moezoo.blocks.surgery.WeightAssignment;
import org.junit.jupiter.api.Test;

/** gpt-oss's router: logits x·Wᵀ + b, top-k on the logits, softmax over the k. */
class RouterBiasTest {

    @Test
    void theBiasJoinsTheLogitsBeforeTheTopK() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TopKSoftmaxRouter router =
                    MoeTestSupport.init(
                            new TopKSoftmaxRouter(TopKSoftmaxSpec.of(4, 2).withBias(true)),
                            manager,
                            -1,
                            2);
            // W: expert e reads x0 with weight e (logits 0, x0, 2 x0, 3 x0)
            WeightAssignment.assign(
                    router.getDirectParameters().get("weight"),
                    manager.create(new float[] {0, 0, 1, 0, 2, 0, 3, 0}, new Shape(4, 2)));
            WeightAssignment.assign(
                    router.getBias(), manager.create(new float[] {5f, 0f, 0f, -4f}, new Shape(4)));
            NDArray x = manager.create(new float[] {1f, 7f}, new Shape(1, 2));
            RoutingDecision d = router.route(new ParameterStore(manager, false), x, 1, false);
            // logits + bias = [5, 1, 2, -1]: experts 0 and 2, weights softmax(5, 2)
            assertArrayEquals(new int[] {0, 2}, d.getExperts());
            double w0 = 1 / (1 + Math.exp(2 - 5));
            assertArrayEquals(
                    new float[] {(float) w0, (float) (1 - w0)},
                    d.getWeights().toFloatArray(),
                    1e-6f);
            assertArrayEquals(new float[] {5, 1, 2, -1}, d.getLogits().toFloatArray(), 1e-6f);
        }
    }
}
