/**
 * Dispatch: moving each token to the experts its router chose and combining their outputs.
 *
 * <pre>
 *  RoutingDecision ─▶ DispatchPlan (host counting sort: expert segments, combine index)
 *  x[T,H] ─gather─▶ rows grouped by expert ─▶ experts ─▶ × weight ─gather─▶ [T,R,H] ─sum─▶ y[T,H]
 * </pre>
 *
 * {@link io.moezoo.blocks.dispatch.SortedDispatcher} (dropless, the default) runs each non-empty
 * expert once on its contiguous slice; {@link io.moezoo.blocks.dispatch.PaddedDispatcher} lays the
 * rows into an {@code [E, C, H]} buffer for one batched matmul. Neither builds {@code [T, E, C]}
 * one-hot tensors or loops over tokens in Java.
 */
package io.moezoo.blocks.dispatch;
