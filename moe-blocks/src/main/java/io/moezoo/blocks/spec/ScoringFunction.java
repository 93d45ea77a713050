package io.moezoo.blocks.spec;

/** How router logits become per-expert scores. */
public enum ScoringFunction {
    /** {@code softmax(logits)} over all experts. */
    SOFTMAX,
    /** {@code sigmoid(logits)} per expert (DeepSeek-V3). */
    SIGMOID
}
