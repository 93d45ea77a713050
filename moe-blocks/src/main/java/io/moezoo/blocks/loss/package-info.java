/**
 * Auxiliary MoE losses, each named after the reference it reproduces, and the balancing window that
 * decides over how many micro-batches the expert counts are pooled.
 *
 * <p>Count-based statistics (\(f_i\)) carry no gradient; the mean router scores (\(P_i\)) carry it,
 * so the gradient reaches the router only through \(P_i\).
 */
package io.moezoo.blocks.loss;
