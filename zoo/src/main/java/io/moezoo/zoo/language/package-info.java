/**
 * MoE decoder language models: the spec a Hugging Face {@code config.json} maps onto ({@link
 * io.moezoo.zoo.language.DecoderSpec}, {@link io.moezoo.zoo.language.HfConfigMapper}), the model
 * ({@link io.moezoo.zoo.language.MoeCausalLm}) and checkpoint import ({@link
 * io.moezoo.zoo.language.HfCheckpointLoader}).
 *
 * <p>A checkpoint is untrusted: {@link io.moezoo.zoo.language.HfCheckpointLoader#inspect} reads the
 * config strictly (every field honoured or refused, numbers within {@link
 * io.moezoo.zoo.language.ConfigLimits}), checks its counts against the tensor shapes before
 * constructing a model of that size, then every tensor, all before a weight is read.
 *
 * <p>{@link io.moezoo.zoo.language.CheckpointQuantizer} ({@code moe-zoo quantize}) writes a Q8_0 or
 * Q4_0 copy of a checkpoint, which loads like any other (see {@link
 * io.moezoo.zoo.checkpoint.QuantizedSafetensors}).
 *
 * <pre>
 *   ids ─▶ embed_tokens ─▶ [ h += attn(RMSNorm(h)) ; h += MoE-or-dense FFN(RMSNorm(h)) ] × L
 *       ─▶ RMSNorm ─▶ lm_head ─▶ logits
 * </pre>
 */
package io.moezoo.zoo.language;
