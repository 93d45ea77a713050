package io.moezoo.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.moezoo.blocks.experts.ClampedSwiGluExperts;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.formats.Checkpoint;
import io.moezoo.formats.MalformedCheckpointException;
import java.util.List;

/**
 * Where a gpt-oss MoE layer's weights are in a Hugging Face checkpoint, and how they become the
 * reference blocks' layout. Under {@code model.layers.<i>.mlp.}:
 *
 * <pre>
 * router.weight [E, H], router.bias [E]
 * experts.gate_up_proj_blocks/_scales  MXFP4, read as gate_up_proj [E, 2I, H] (out × in)
 *   or experts.gate_up_proj [E, H, 2I]  dequantized, used as x·W
 * experts.gate_up_proj_bias [E, 2I]
 * experts.down_proj_blocks/_scales     MXFP4, read as down_proj [E, H, I]
 *   or experts.down_proj [E, I, H]      dequantized, x·W
 * experts.down_proj_bias [E, H]
 * </pre>
 *
 * Gate and up alternate along the 2I axis (index 2j is gate j, 2j + 1 is up j); {@link
 * ClampedSwiGluExperts} keeps gate rows first, so both are rearranged on load. The two forms are
 * told apart by the presence of {@code _blocks}, never by shape (gpt-oss-20b has H = I).
 */
final class GptOssWeights {

    private GptOssWeights() {}

    /** The router's weight key of a block. */
    static String router(String block) {
        return block + "router.weight";
    }

    /**
     * Plans a gpt-oss MoE layer.
     *
     * @param sources the plan to add to
     * @param moe the layer
     * @param block the block prefix, {@code model.layers.<i>.mlp.}
     * @param hidden H
     * @param checkpoint the checkpoint
     */
    static void plan(
            List<WeightSource> sources,
            MoeLayer moe,
            String block,
            int hidden,
            Checkpoint checkpoint) {
        int e = moe.getSpec().experts().numExperts();
        int i = moe.getSpec().experts().intermediateSize();
        Parameter router = moe.getRouter().getDirectParameters().get("weight");
        Parameter routerBias = moe.getRouter().getDirectParameters().get("bias");
        sources.add(
                new WeightSource(
                        router,
                        List.of(router(block)),
                        WeightSource.Kind.DIRECT,
                        new Shape(e, hidden)));
        sources.add(
                new WeightSource(
                        routerBias,
                        List.of(block + "router.bias"),
                        WeightSource.Kind.DIRECT,
                        new Shape(e)));
        ClampedSwiGluExperts experts = (ClampedSwiGluExperts) moe.getExperts();
        String x = block + "experts.";
        boolean packed = checkpoint.contains(x + "gate_up_proj_blocks");
        sources.add(
                packed
                        ? new WeightSource(
                                experts.getGateUpProj(),
                                List.of(x + "gate_up_proj"),
                                WeightSource.Kind.INTERLEAVED_ROWS,
                                new Shape(e, 2L * i, hidden))
                        : new WeightSource(
                                experts.getGateUpProj(),
                                List.of(x + "gate_up_proj"),
                                WeightSource.Kind.INTERLEAVED_COLUMNS,
                                new Shape(e, hidden, 2L * i)));
        sources.add(
                new WeightSource(
                        experts.getGateUpBias(),
                        List.of(x + "gate_up_proj_bias"),
                        WeightSource.Kind.INTERLEAVED_BIAS,
                        new Shape(e, 2L * i)));
        sources.add(
                packed
                        ? new WeightSource(
                                experts.getDownProj(),
                                List.of(x + "down_proj"),
                                WeightSource.Kind.DIRECT,
                                new Shape(e, hidden, i))
                        : new WeightSource(
                                experts.getDownProj(),
                                List.of(x + "down_proj"),
                                WeightSource.Kind.TRANSPOSED,
                                new Shape(e, i, hidden)));
        sources.add(WeightSource.direct(experts.getDownBias(), x + "down_proj_bias"));
    }

    /**
     * Rearranges a loaded tensor into the reference layout.
     *
     * @param kind how the tensor is stored
     * @param stored the tensor as stored
     * @return the tensor in the parameter's layout
     * @throws MalformedCheckpointException if the kind is not a gpt-oss layout
     */
    static NDArray arrange(WeightSource.Kind kind, NDArray stored)
            throws MalformedCheckpointException {
        Shape s = stored.getShape();
        switch (kind) {
            case INTERLEAVED_ROWS:
                // [E, I, 2, H] -> [E, 2, I, H]: rows 2j (gate) first, then rows 2j + 1 (up).
                return stored.reshape(s.get(0), s.get(1) / 2, 2, s.get(2))
                        .transpose(0, 2, 1, 3)
                        .reshape(s);
            case INTERLEAVED_COLUMNS:
                return arrange(WeightSource.Kind.INTERLEAVED_ROWS, stored.transpose(0, 2, 1));
            case INTERLEAVED_BIAS:
                return stored.reshape(s.get(0), s.get(1) / 2, 2).transpose(0, 2, 1).reshape(s);
            case TRANSPOSED:
                return stored.transpose(0, 2, 1);
            default:
                throw new MalformedCheckpointException("not a gpt-oss layout: " + kind);
        }
    }
}
