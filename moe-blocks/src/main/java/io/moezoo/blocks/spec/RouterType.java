package io.moezoo.blocks.spec;

/** The routing algorithms MoE Zoo implements, each named after the models that use it. */
public enum RouterType {
    /**
     * Softmax over all experts, then top-k (Mixtral, Qwen2-MoE, Qwen3-MoE, OLMoE, DeepSeekMoE
     * greedy); renormalisation is {@link RouterSpec#isNormalizeTopK()}.
     */
    SOFTMAX_TOP_K,
    /** Top-k over the logits, then softmax over the k selected logits (JetMoE, GraniteMoE). */
    TOP_K_SOFTMAX,
    /** Switch Transformer top-1 routing with an expert capacity; overflow is dropped in order. */
    SWITCH,
    /**
     * V-MoE top-k with per-group capacity: all top-1 choices take buffer slots before top-2
     * choices, optional batch-prioritized routing, optional noise on the logits.
     */
    CAPACITY_TOP_K,
    /** Expert choice: each expert takes its top-C tokens (Zhou et al. 2022). */
    EXPERT_CHOICE,
    /**
     * Dynamic top-p: the smallest prefix of sorted probabilities reaching p (Huang et al. 2024).
     */
    TOP_P,
    /**
     * Group-limited routing of DeepSeek-V2 (softmax, group score = max) and DeepSeek-V3 (sigmoid,
     * selection-only correction bias, group score = sum of the top-2).
     */
    GROUP_LIMITED,
    /** Noisy top-k gating of Shazeer et al. 2017 (learned, input-dependent noise in training). */
    NOISY_TOP_K
}
