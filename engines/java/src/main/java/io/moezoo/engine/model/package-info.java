/**
 * The decoder the engine runs: {@link io.moezoo.engine.model.CausalLm} over weights read in place,
 * with a {@link io.moezoo.engine.model.KvCache} per sequence. Activations are float32 arrays of
 * {@code n} tokens, row-major ({@code n × width}); every matrix product goes through {@link
 * io.moezoo.engine.kernel.MatrixOps}.
 */
package io.moezoo.engine.model;
