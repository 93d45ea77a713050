package io.moezoo.blocks.layer;

import ai.djl.ndarray.NDArray;
import io.moezoo.blocks.routing.RoutingDecision;

/**
 * The output of one MoE layer together with the routing that produced it.
 *
 * @param output the layer output, shaped like its input
 * @param routing the routing decision
 */
public record MoeOutput(NDArray output, RoutingDecision routing) {}
