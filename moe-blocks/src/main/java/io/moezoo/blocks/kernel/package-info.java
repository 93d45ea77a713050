/**
 * The matrix products of the decode path and the service interface of faster kernels.
 *
 * <ul>
 *   <li>{@link io.moezoo.blocks.kernel.MatVec#linear}: {@code x·Wᵀ} on arrays; a one-row call goes
 *       to the kernel, anything else to DJL.
 *   <li>{@link io.moezoo.blocks.kernel.MatVec#rows(java.util.List)}: batches of {@link
 *       io.moezoo.blocks.kernel.RowProduct}s on host vectors, the products of the single-token
 *       decode path, where the hidden state stays a Java array and only the weights are read from
 *       tensors (in place).
 *   <li>{@link io.moezoo.blocks.kernel.MatVecKernel}: the service a kernel implements ({@code
 *       moe-zoo-engine-pytorch} provides one for PyTorch CPU tensors).
 * </ul>
 */
package io.moezoo.blocks.kernel;
