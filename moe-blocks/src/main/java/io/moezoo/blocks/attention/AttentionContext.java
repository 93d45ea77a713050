package io.moezoo.blocks.attention;

import ai.djl.ndarray.NDArray;

/**
 * What a {@link TokenMixer} needs besides its input: the decoder's KV cache with this layer's index
 * in it, and a key mask.
 *
 * @param cache the KV cache to continue, or null for a full pass without cache
 * @param layer this layer's index in the cache, &gt;= 0
 * @param mask a key mask {@code [B, S]} (non-zero where a position may be attended to), or null to
 *     attend to every position the mixer allows
 */
public record AttentionContext(KvCache cache, int layer, NDArray mask) {

    private static final AttentionContext NONE = new AttentionContext(null, 0, null);

    /**
     * Validates the context.
     *
     * @param cache the cache or null
     * @param layer the layer index
     * @param mask the key mask or null
     * @throws IllegalArgumentException if the layer index is negative or the mask is not {@code [B,
     *     S]}
     */
    public AttentionContext {
        if (layer < 0) {
            throw new IllegalArgumentException("Attention layer index must be >= 0, got " + layer);
        }
        if (mask != null && mask.getShape().dimension() != 2) {
            throw new IllegalArgumentException(
                    "Attention key mask must be [B, S], got " + mask.getShape());
        }
    }

    /**
     * Returns the context of a plain full pass: no cache, no mask.
     *
     * @return the empty context
     */
    public static AttentionContext none() {
        return NONE;
    }

    /**
     * Returns the context of decoder layer {@code layer} continuing a cache.
     *
     * @param cache the KV cache, or null for a full pass
     * @param layer the layer's index in the cache
     * @return the context
     */
    public static AttentionContext cached(KvCache cache, int layer) {
        return new AttentionContext(cache, layer, null);
    }

    /**
     * Returns the context of a pass over padded sequences.
     *
     * @param mask the key mask {@code [B, S]}, non-zero where a position may be attended to
     * @return the context
     */
    public static AttentionContext masked(NDArray mask) {
        return new AttentionContext(null, 0, mask);
    }
}
