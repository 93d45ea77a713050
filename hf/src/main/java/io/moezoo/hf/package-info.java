/**
 * Hugging Face checkpoint import: a {@code config.json} mapped onto a {@link
 * io.moezoo.models.language.DecoderSpec} ({@link io.moezoo.hf.HfConfigMapper}) and its safetensors
 * loaded into a {@link io.moezoo.models.language.MoeCausalLm} ({@link
 * io.moezoo.hf.HfCheckpointLoader}); {@link io.moezoo.hf.HfBlockFactory} does it through DJL's
 * {@code Criteria}.
 *
 * <p>A checkpoint is untrusted: {@link io.moezoo.hf.HfCheckpointLoader#inspect} reads the config
 * strictly (every field honoured or refused, numbers within {@link io.moezoo.hf.ConfigLimits}),
 * checks its counts against the tensor shapes before constructing a model of that size, then every
 * tensor, all before a weight is read.
 *
 * <p>{@link io.moezoo.hf.CheckpointQuantizer} ({@code moe-zoo quantize}) writes a Q8_0 or Q4_0 copy
 * of a checkpoint, which loads like any other (see {@link io.moezoo.formats.QuantizedSafetensors}).
 */
package io.moezoo.hf;
