/**
 * MoE decoder language models: the spec a Hugging Face {@code config.json} maps onto ({@link
 * io.moezoo.zoo.language.DecoderSpec}, {@link io.moezoo.zoo.language.HfConfigMapper}), the model
 * ({@link io.moezoo.zoo.language.MoeCausalLm}) and checkpoint import ({@link
 * io.moezoo.zoo.language.HfCheckpointLoader}).
 *
 * <pre>
 *   ids ─▶ embed_tokens ─▶ [ h += attn(RMSNorm(h)) ; h += MoE-or-dense FFN(RMSNorm(h)) ] × L
 *       ─▶ RMSNorm ─▶ lm_head ─▶ logits
 * </pre>
 */
package io.moezoo.zoo.language;
