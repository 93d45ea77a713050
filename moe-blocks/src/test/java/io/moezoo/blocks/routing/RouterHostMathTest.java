package io.moezoo.blocks.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The host helpers of the routers' single-token forms, against hand-computed values. */
class RouterHostMathTest {

    @Test
    void softmaxMatchesHandComputedValues() {
        // exp(0) : exp(ln 2) : exp(ln 5) = 1 : 2 : 5, over 8.
        float[] p = Router.softmax(new float[] {0f, (float) Math.log(2), (float) Math.log(5)});
        assertArrayEquals(new float[] {0.125f, 0.25f, 0.625f}, p, 1e-7f);
        // Large logits do not overflow: the maximum is subtracted first.
        float[] q = Router.softmax(new float[] {1000f, 1000f});
        assertArrayEquals(new float[] {0.5f, 0.5f}, q, 0f);
    }

    @Test
    void topKTakesTheLargestValuesLargestFirst() {
        float[] v = {0.1f, 0.4f, -2f, 0.3f, 0.9f};
        assertArrayEquals(new int[] {4, 1, 3}, Router.topK(v, 3));
        assertArrayEquals(new int[] {4, 1, 3, 0, 2}, Router.topK(v, 5));
    }

    @Test
    void nearTiesAreDetectedInsideTheChoiceAndAtItsEdge() {
        assertFalse(Router.nearTie(new float[] {0.1f, 0.5f, 0.3f, 0.1f}, new int[] {1, 2}));
        // Two chosen values equal: their order is the engine's to decide.
        assertTrue(Router.nearTie(new float[] {0.4f, 0.4f, 0.2f}, new int[] {0, 1}));
        // The last chosen value equals an unchosen one: the choice itself is uncertain.
        assertTrue(Router.nearTie(new float[] {0.5f, 0.25f, 0.25f}, new int[] {0, 1}));
        // Within a relative 1e-6.
        assertTrue(Router.nearTie(new float[] {0.5f, 0.3f, 0.2999999f}, new int[] {0, 1}));
        assertFalse(Router.nearTie(new float[] {0.5f, 0.3f, 0.2999f}, new int[] {0, 1}));
        // Every value chosen: only the order can tie.
        assertFalse(Router.nearTie(new float[] {0.7f, 0.3f}, new int[] {0, 1}));
    }
}
