package io.moezoo.blocks.loss;

import io.moezoo.blocks.routing.RoutingDecision;

/**
 * The routing of one MoE layer in one forward pass, together with the choice counts of the
 * balancing window (see {@link BalanceWindow}).
 *
 * @param decision the layer's routing decision in this pass
 * @param windowCounts the choices per router output (null experts included) summed over the window,
 *     this pass included
 * @param windowTokens the tokens summed over the window, this pass included
 */
public record LayerRouting(RoutingDecision decision, long[] windowCounts, long windowTokens) {

    /**
     * Wraps a decision whose window is this pass alone (micro-batch statistics).
     *
     * @param decision the decision
     * @param numChoices E', the router outputs
     * @return the layer routing
     */
    public static LayerRouting microBatch(RoutingDecision decision, int numChoices) {
        return new LayerRouting(
                decision, decision.choicesPerExpert(numChoices), decision.getNumTokens());
    }

    /**
     * Returns E', the number of router outputs.
     *
     * @return the number of router outputs
     */
    public int numChoices() {
        return windowCounts.length;
    }
}
