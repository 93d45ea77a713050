package io.moezoo.hf;

/**
 * Absolute bounds on the numbers of a Hugging Face {@code config.json}, far above any released
 * model and far below what would exhaust a machine. A config is refused outside them before
 * anything proportional to its numbers is allocated; within them, every count is then checked
 * against the checkpoint's tensor shapes before a weight is read.
 */
public final class ConfigLimits {

    /** {@code vocab_size}: at most 2^22 (released models: up to about 262k). */
    public static final int MAX_VOCAB = 1 << 22;

    /** {@code hidden_size}, head dimensions and LoRA ranks: at most 2^16. */
    public static final int MAX_HIDDEN = 1 << 16;

    /** Intermediate (FFN and expert) widths: at most 2^20. */
    public static final int MAX_INTERMEDIATE = 1 << 20;

    /** {@code num_hidden_layers}: at most 1024. */
    public static final int MAX_LAYERS = 1024;

    /** Attention heads (query or key/value): at most 1024. */
    public static final int MAX_HEADS = 1024;

    /** Routed or shared experts of one layer: at most 2^14. */
    public static final int MAX_EXPERTS = 1 << 14;

    /** {@code max_position_embeddings}: at most 2^26 (a number only; nothing is sized by it). */
    public static final int MAX_POSITIONS = 1 << 26;

    /** RMSNorm ε: in (0, {@value #MAX_EPS}]. */
    public static final double MAX_EPS = 0.1;

    /** {@code rope_theta}: in (1, {@value #MAX_ROPE_THETA}]. */
    public static final double MAX_ROPE_THETA = 1e12;

    /** RoPE scaling factors, YaRN betas and scales, routed scaling factors: at most 1e4. */
    public static final double MAX_FACTOR = 1e4;

    private ConfigLimits() {}
}
