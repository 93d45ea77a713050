package io.moezoo.blocks.spec;

/** Activation of an {@link MlpExpertSpec MLP} expert. */
public enum ExpertActivation {
    /** Exact (erf) GELU, as in ViT and V-MoE. */
    GELU,
    /** ReLU, as in Switch Transformers v1. */
    RELU
}
