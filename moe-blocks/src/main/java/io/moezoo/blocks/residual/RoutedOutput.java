package io.moezoo.blocks.residual;

import ai.djl.ndarray.NDArray;
import io.moezoo.blocks.routing.RoutingDecision;

/**
 * The output of a feed-forward sublayer, or of a block holding one, together with the routing that
 * produced it: the input of the auxiliary losses when the feed-forward is an MoE layer.
 *
 * @param output the output, shaped like the input
 * @param routing the routing decision, or null when no router took part (a dense feed-forward)
 */
public record RoutedOutput(NDArray output, RoutingDecision routing) {

    /**
     * Validates the output.
     *
     * @param output the output
     * @param routing the routing or null
     * @throws IllegalArgumentException if output is null
     */
    public RoutedOutput {
        if (output == null) {
            throw new IllegalArgumentException("A routed output needs an output array");
        }
    }

    /**
     * Returns the output of a dense feed-forward, which has no routing.
     *
     * @param output the output
     * @return the output without routing
     */
    public static RoutedOutput dense(NDArray output) {
        return new RoutedOutput(output, null);
    }

    /**
     * Returns whether a router produced this output.
     *
     * @return true for an MoE output
     */
    public boolean isRouted() {
        return routing != null;
    }
}
