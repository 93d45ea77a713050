package io.moezoo.blocks.spec;

/** How assignments reach the experts. */
public enum DispatchMode {
    /**
     * Dropless: a counting sort groups (token, slot) assignments by expert, each expert runs once
     * on its contiguous slice ({@link io.moezoo.blocks.dispatch.SortedDispatcher}).
     */
    SORTED,
    /**
     * Padded: assignments are laid into an {@code [E, C, H]} buffer and all experts run in one
     * batched matmul ({@link io.moezoo.blocks.dispatch.PaddedDispatcher}).
     */
    PADDED
}
