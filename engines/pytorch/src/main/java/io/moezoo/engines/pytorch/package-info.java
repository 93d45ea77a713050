/**
 * What is specific to DJL's PyTorch engine: {@link io.moezoo.engines.pytorch.VectorMatVecKernel}, a
 * matrix-vector kernel that reads CPU tensors in place, registered as a {@link
 * io.moezoo.blocks.kernel.MatVecKernel} service.
 */
package io.moezoo.engines.pytorch;
