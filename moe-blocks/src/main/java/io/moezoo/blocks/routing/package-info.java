/**
 * Routers: blocks that score experts for every token and decide which experts process it.
 *
 * <p>Every router computes its logits in float32 from {@code x·Wᵀ} and returns a {@link
 * io.moezoo.blocks.routing.RoutingDecision}: combine weights (differentiable), the expert of every
 * (token, slot) assignment, and the scores the auxiliary losses need. {@link
 * io.moezoo.blocks.routing.RouterKinds} registers each router with its spec record and builds the
 * router a {@link io.moezoo.blocks.spec.RouterSpec} describes.
 */
package io.moezoo.blocks.routing;
