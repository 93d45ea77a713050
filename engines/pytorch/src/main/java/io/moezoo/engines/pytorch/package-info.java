/**
 * What is specific to DJL's PyTorch engine: {@link io.moezoo.engines.pytorch.VectorMatVecKernel}, a
 * matrix-vector kernel that reads CPU tensors in place, registered as a {@link
 * io.moezoo.blocks.kernel.MatVecKernel} service. It serves the one-row products of {@link
 * io.moezoo.blocks.kernel.MatVec#linear} and the host-vector batches of the single-token decode
 * path ({@link io.moezoo.blocks.kernel.MatVec#rows(java.util.List)}). Inside: {@code VectorGemv}
 * (the dot-product loop), {@code ProductBatch} (a batch cut into chunks that the threads claim,
 * each published once) and {@code SpinningWorkers} (the helper threads).
 */
package io.moezoo.engines.pytorch;
