/**
 * Matrix products over {@link io.moezoo.engine.tensor.WeightMatrix} weights: one token (decode),
 * several tokens (prefill, an expert's tokens), and batches of independent products (q, k and v;
 * the gate and up projections of every active expert), with rows shared between the calling thread
 * and {@link io.moezoo.engine.kernel.WorkerPool} threads. One token reads each row in place;
 * several tokens decode a tile of rows to float32 once and multiply it with 4 tokens at a time by
 * dot products (up to 7 tokens) or, from 8 tokens, with the tokens transposed into vector lanes
 * ({@code TokenBlocks}, the outer-product form). {@link
 * io.moezoo.engine.kernel.MatrixOps#forEachTask} runs the idempotent steps between products (an
 * FFN's activations) on the same threads.
 */
package io.moezoo.engine.kernel;
