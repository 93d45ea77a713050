package io.moezoo.blocks.dispatch;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.experts.Experts;
import io.moezoo.blocks.routing.RoutingDecision;

/**
 * Runs the experts a routing decision chose and combines their outputs: \(y_t = \sum_{s} w_{t,s}\,
 * E_{e(t,s)}(x_t)\) over the token's non-empty slots; a token with no expert gets zero.
 */
public interface Dispatcher {

    /**
     * Dispatches, runs the experts and combines.
     *
     * @param parameterStore the parameter store
     * @param x the tokens {@code [T, H]}
     * @param decision the routing decision for x
     * @param experts the expert bank
     * @param training whether this is a training pass
     * @return {@code [T, H]}
     */
    NDArray dispatch(
            ParameterStore parameterStore,
            NDArray x,
            RoutingDecision decision,
            Experts experts,
            boolean training);
}
