package io.moezoo.blocks.spec;

/** The expert forms MoE Zoo implements. */
public enum ExpertType {
    /**
     * {@code W_down(silu(W_gate x) ⊙ W_up x)}, stored fused as {@code [E, 2I, H]} and {@code [E, H,
     * I]}.
     */
    SWIGLU,
    /** {@code W_2 act(W_1 x + b_1) + b_2} with GELU or ReLU (Switch, V-MoE). */
    MLP,
    /** LoRA adapters over one frozen dense SwiGLU FFN (MixLoRA, LoRAMoE). */
    LORA,
    /**
     * One linear map per expert, {@code H -> I} with weight {@code [E, I, H]} (JetMoE attention
     * experts, ScatterMoE {@code ParallelExperts}).
     */
    LINEAR
}
