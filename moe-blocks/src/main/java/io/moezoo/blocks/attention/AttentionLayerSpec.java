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
     * Builds a new, uninitialised attention block.
     *
     * @return the block
     */
    AttentionBlock create();
}
