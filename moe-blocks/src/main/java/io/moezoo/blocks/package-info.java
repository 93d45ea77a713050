/**
 * Mixture-of-Experts building blocks for DJL.
 *
 * <p>The packages mirror the architecture of an MoE layer:
 *
 * <pre>
 *   x ─▶ {@link io.moezoo.blocks.routing Router} ─▶ RoutingDecision ─▶ {@link
 *        io.moezoo.blocks.dispatch Dispatcher} ─▶ {@link io.moezoo.blocks.experts Experts} ─▶ y
 *                         │
 *                         └─▶ {@link io.moezoo.blocks.loss auxiliary losses}, routing statistics
 * </pre>
 *
 * Every block is described by a spec object from {@link io.moezoo.blocks.spec}.
 */
package io.moezoo.blocks;
