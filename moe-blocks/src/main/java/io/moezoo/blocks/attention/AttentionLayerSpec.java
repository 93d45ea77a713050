package io.moezoo.blocks.attention;

/** Describes a decoder's attention layer and builds it. */
public interface AttentionLayerSpec {

    /**
     * Returns H.
     *
     * @return the hidden size
     */
    int hiddenSize();

    /**
     * Returns what kind of attention this is, in words (for summaries such as {@code moe-zoo
     * info}).
     *
     * @return e.g. {@code grouped-query attention}
     */
    String kind();

    /**
     * Builds a new, uninitialised attention block.
     *
     * @return the block
     */
    AttentionBlock create();
}
