package io.moezoo.onnx.moe;

/** How an exported MoE layer runs its routed experts. */
public enum DispatchMode {
    /**
     * Each expert runs only on the rows routed to it: {@code NonZero} finds them, {@code Gather}
     * takes them, and one {@code ScatterND} (reduction add) puts the weighted outputs back. Work is
     * proportional to T·k; the per-expert node groups are unrolled at export time.
     */
    SPARSE,
    /**
     * Every expert runs on every row as one batched {@code MatMul} {@code [E, T, H]}, and a dense
     * combine matrix {@code [T, E]} (zero for experts not chosen) weights the sum. Work is
     * proportional to T·E, but the graph has no data-dependent shapes.
     */
    DENSE
}
