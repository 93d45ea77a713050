package io.moezoo.models.timeseries;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.blocks.attention.CausalSelfAttention;
import io.moezoo.blocks.attention.RmsNorm;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.layer.MoeOutput;
import io.moezoo.blocks.routing.RoutingDecision;
import java.util.ArrayList;
import java.util.List;

/**
 * One Time-MoE decoder layer ({@code TimeMoeDecoderLayer}): \(h = x +
 * \mathrm{Attn}(\mathrm{RMSNorm}(x))\), \(y = h + \mathrm{MoE}(\mathrm{RMSNorm}(h))\), with causal
 * RoPE attention and the MoE FFN with its sigmoid-gated shared expert.
 */
public final class TimeMoeLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int hiddenSize;
    private final RmsNorm inputNorm;
    private final CausalSelfAttention attention;
    private final RmsNorm postAttentionNorm;
    private final MoeLayer ffn;

    /**
     * Creates a layer.
     *
     * @param spec the model spec
     */
    public TimeMoeLayer(TimeMoeSpec spec) {
        super(VERSION);
        hiddenSize = spec.hiddenSize();
        inputNorm = addChildBlock("input_layernorm", new RmsNorm(hiddenSize, spec.rmsNormEps()));
        attention = addChildBlock("self_attn", new CausalSelfAttention(spec.attention()));
        postAttentionNorm =
                addChildBlock(
                        "post_attention_layernorm", new RmsNorm(hiddenSize, spec.rmsNormEps()));
        ffn = addChildBlock("ffn_layer", new MoeLayer(spec.ffn()));
    }

    /**
     * Returns the MoE FFN.
     *
     * @return the MoE layer
     */
    public MoeLayer getFfn() {
        return ffn;
    }

    /**
     * Runs the layer.
     *
     * @param ps the parameter store
     * @param x {@code [B, S, H]}
     * @param training whether this is a training pass
     * @param routings receives this layer's routing decision
     * @return {@code [B, S, H]}
     */
    public NDArray apply(
            ParameterStore ps, NDArray x, boolean training, List<RoutingDecision> routings) {
        NDArray h = x.add(attention.apply(ps, inputNorm.apply(ps, x, training), null, 0, training));
        MoeOutput out = ffn.forwardRouted(ps, postAttentionNorm.apply(ps, h, training), training);
        routings.add(out.routing());
        return h.add(out.output());
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training, new ArrayList<>()));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape flat = new Shape(-1, hiddenSize);
        inputNorm.initialize(manager, dataType, flat);
        attention.initialize(manager, dataType, new Shape(1, 1, hiddenSize));
        postAttentionNorm.initialize(manager, dataType, flat);
        ffn.initialize(manager, dataType, flat);
    }
}
