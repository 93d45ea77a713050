package io.moezoo.blocks.spec;

/** How the group-limited router scores a group of experts. */
public enum GroupScore {
    /** The best expert score in the group (DeepSeek-V2 {@code group_limited_greedy}). */
    MAX,
    /** The sum of the two best (biased) scores in the group (DeepSeek-V3 {@code noaux_tc}). */
    TOP2_SUM
}
