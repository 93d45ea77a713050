/**
 * Reading checkpoints: a strict, memory-mapped safetensors reader with sharded-index support and
 * BF16/F16/FP8 widening to float32.
 *
 * <p>Untrusted files are validated completely (header bounds, offsets, overlaps, shape × dtype
 * sizes) before any tensor is read; every error is a {@link
 * io.moezoo.zoo.checkpoint.MalformedCheckpointException} naming the file and the tensor.
 */
package io.moezoo.zoo.checkpoint;
