/**
 * Weights in their stored format: {@link io.moezoo.engine.tensor.WeightMatrix} reads rows of a
 * memory-mapped matrix in place (dot products with a float32 vector, or decoding a row), for every
 * format the engine knows ({@link io.moezoo.engine.tensor.WeightFormat}).
 */
package io.moezoo.engine.tensor;
