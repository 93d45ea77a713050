/**
 * Expert parallelism on paper: routing traces recorded from the zoo models ({@link
 * io.moezoo.recipes.parallel.TraceRecorder}, {@link io.moezoo.recipes.parallel.RoutingTrace}),
 * expert placements ({@link io.moezoo.recipes.parallel.Placement}) and a replay that counts, per
 * layer and worker count, load imbalance, capacity drops and all-to-all volume ({@link
 * io.moezoo.recipes.parallel.ExchangeStep}, {@link io.moezoo.recipes.parallel.TraceReplay}). See
 * {@code docs/expert-parallelism.md}.
 */
package io.moezoo.recipes.parallel;
