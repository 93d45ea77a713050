/**
 * Matrix products over {@link io.moezoo.engine.tensor.WeightMatrix} weights: one token (decode),
 * several tokens (prefill, an expert's tokens), and batches of independent products (q, k and v;
 * the gate and up projections of every active expert), with rows shared between the calling thread
 * and {@link io.moezoo.engine.kernel.WorkerPool} threads.
 */
package io.moezoo.engine.kernel;
