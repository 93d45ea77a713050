/**
 * Reading checkpoints: a strict, memory-mapped safetensors reader with sharded-index support and
 * BF16/F16/FP8 widening to float32, and ggml block-quantised tensors (Q8_0, Q4_0: {@link
 * io.moezoo.formats.BlockFormat}, stored as described by {@link
 * io.moezoo.formats.QuantizedSafetensors}) dequantised on load.
 *
 * <p>Untrusted files are validated completely before any tensor is read: small text files are
 * bounded regular files in strict UTF-8 ({@link io.moezoo.formats.CheckpointFiles}) parsed as
 * strict JSON ({@link io.moezoo.formats.StrictJson}); safetensors headers as the reference
 * implementation defines them, their tensors tiling the data section exactly ({@link
 * io.moezoo.formats.SafetensorsFile}); index entries as plain file names. Every error is a {@link
 * io.moezoo.formats.MalformedCheckpointException} naming the file and the tensor.
 */
package io.moezoo.formats;
