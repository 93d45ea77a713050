package io.moezoo.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.moezoo.blocks.spec.TopKSoftmaxSpec;
import org.junit.jupiter.api.Test;

/** Top-k-then-softmax routing with a router bias (gpt-oss): z = x·Wᵀ + b before the top-k. */
class TokenRouterTest {

    @Test
    void theBiasJoinsTheLogitsBeforeTheTopKAndTheSoftmax() {
        TokenRouter router =
                new TokenRouter(
                        TopKSoftmaxSpec.of(4, 2).withBias(true), new float[] {0f, 3f, -1f, 0.5f});
        // Logits 2, 0, 1.5, 1 → biased 2, 3, 0.5, 1.5: experts 1 then 0 (without the bias: 0, 2).
        float[] logits = {2f, 0f, 1.5f, 1f};
        TokenRouter.Choice c = router.route(logits, null);
        assertArrayEquals(new int[] {1, 0}, c.experts());
        double z = Math.exp(3) + Math.exp(2);
        assertEquals(Math.exp(3) / z, c.weights()[0], 1e-6);
        assertEquals(Math.exp(2) / z, c.weights()[1], 1e-6);
        assertArrayEquals(new float[] {2f, 0f, 1.5f, 1f}, logits); // not modified
        TokenRouter.Choice unbiased = new TokenRouter(TopKSoftmaxSpec.of(4, 2)).route(logits, null);
        assertArrayEquals(new int[] {0, 2}, unbiased.experts());
    }

    @Test
    void theBiasMustMatchTheSpec() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new TokenRouter(TopKSoftmaxSpec.of(4, 2).withBias(true)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new TokenRouter(TopKSoftmaxSpec.of(4, 2), new float[4]));
        assertThrows(
                IllegalArgumentException.class,
                () -> new TokenRouter(TopKSoftmaxSpec.of(4, 2).withBias(true), new float[3]));
    }
}
