/**
 * Decoder building blocks DJL lacks: {@link io.moezoo.blocks.attention.RmsNorm}, {@link
 * io.moezoo.blocks.attention.RotaryEmbedding}, and {@link
 * io.moezoo.blocks.attention.CausalSelfAttention} (grouped-query attention with a causal mask,
 * optional q/k norm, qkv bias, sliding window and a {@link io.moezoo.blocks.attention.KvCache}).
 */
package io.moezoo.blocks.attention;
