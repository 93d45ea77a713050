package io.moezoo.models.language;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.blocks.attention.AttentionBlock;
import io.moezoo.blocks.attention.KvCache;
import io.moezoo.blocks.attention.RmsNorm;
import io.moezoo.blocks.experts.SwiGluFeedForward;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.layer.MoeOutput;
import io.moezoo.blocks.routing.RoutingDecision;
import io.moezoo.blocks.spec.MoeLayerSpec;
import java.util.List;

/**
 * One pre-norm decoder layer: \(h = x + \mathrm{Attn}(\mathrm{RMSNorm}(x))\), \(y = h +
 * \mathrm{FFN}(\mathrm{RMSNorm}(h))\) where the FFN is an MoE layer or a dense SwiGLU FFN.
 */
public final class DecoderLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final RmsNorm inputNorm;
    private final AttentionBlock attention;
    private final RmsNorm postAttentionNorm;
    private final MoeLayer moe;
    private final SwiGluFeedForward dense;
    private final int hiddenSize;

    /**
     * Creates layer i of a decoder.
     *
     * @param spec the decoder spec
     * @param index the layer index
     */
    public DecoderLayer(DecoderSpec spec, int index) {
        super(VERSION);
        hiddenSize = spec.hiddenSize();
        inputNorm =
                addChildBlock(
                        "input_layernorm", new RmsNorm(spec.hiddenSize(), spec.layerNormEps()));
        attention = addChildBlock("self_attn", spec.attention().create());
        postAttentionNorm =
                addChildBlock(
                        "post_attention_layernorm",
                        new RmsNorm(spec.hiddenSize(), spec.layerNormEps()));
        MoeLayerSpec ffn = spec.ffn().get(index);
        if (ffn != null) {
            moe = addChildBlock("mlp", new MoeLayer(ffn));
            dense = null;
        } else {
            moe = null;
            dense =
                    addChildBlock(
                            "mlp",
                            new SwiGluFeedForward(
                                    spec.hiddenSize(), spec.denseIntermediateSize(), false));
        }
    }

    /**
     * Returns the input RMSNorm.
     *
     * @return the norm
     */
    public RmsNorm getInputNorm() {
        return inputNorm;
    }

    /**
     * Returns the attention block.
     *
     * @return the attention
     */
    public AttentionBlock getAttention() {
        return attention;
    }

    /**
     * Returns the post-attention RMSNorm.
     *
     * @return the norm
     */
    public RmsNorm getPostAttentionNorm() {
        return postAttentionNorm;
    }

    /**
     * Returns the MoE FFN, or null for a dense layer.
     *
     * @return the MoE layer
     */
    public MoeLayer getMoe() {
        return moe;
    }

    /**
     * Returns the dense FFN, or null for an MoE layer.
     *
     * @return the dense FFN
     */
    public SwiGluFeedForward getDense() {
        return dense;
    }

    /**
     * Runs the layer.
     *
     * @param ps the parameter store
     * @param x {@code [B, S, H]}
     * @param cache the KV cache, or null
     * @param index this layer's index
     * @param training whether this is a training pass
     * @param routings receives the MoE routing of this layer (if it is an MoE layer)
     * @return {@code [B, S, H]}
     */
    public NDArray apply(
            ParameterStore ps,
            NDArray x,
            KvCache cache,
            int index,
            boolean training,
            List<RoutingDecision> routings) {
        NDArray h =
                x.add(
                        attention.apply(
                                ps, inputNorm.apply(ps, x, training), cache, index, training));
        NDArray normed = postAttentionNorm.apply(ps, h, training);
        if (moe != null) {
            MoeOutput out = moe.forwardRouted(ps, normed, training);
            routings.add(out.routing());
            return h.add(out.output());
        }
        return h.add(dense.apply(ps, normed, training));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(
                apply(
                        ps,
                        inputs.singletonOrThrow(),
                        null,
                        0,
                        training,
                        new java.util.ArrayList<>()));
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
        if (moe != null) {
            moe.initialize(manager, dataType, flat);
        } else {
            dense.initialize(manager, dataType, flat);
        }
    }
}
