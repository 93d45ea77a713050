/**
 * The matrix-vector product of the decode path ({@link io.moezoo.blocks.kernel.MatVec}) and the
 * service interface of faster kernels ({@link io.moezoo.blocks.kernel.MatVecKernel}).
 */
package io.moezoo.blocks.kernel;
