/**
 * MoE decoder language models: {@link io.moezoo.models.language.DecoderSpec} describes one (the
 * form a Hugging Face {@code config.json} maps onto), {@link io.moezoo.models.language.MoeCausalLm}
 * is the model, {@link io.moezoo.models.language.DecoderBlockFactory} loads a zoo artifact.
 *
 * <pre>
 *   ids ─▶ embed_tokens ─▶ [ h += attn(RMSNorm(h)) ; h += MoE-or-dense FFN(RMSNorm(h)) ] × L
 *       ─▶ RMSNorm ─▶ lm_head ─▶ logits
 * </pre>
 */
package io.moezoo.models.language;
