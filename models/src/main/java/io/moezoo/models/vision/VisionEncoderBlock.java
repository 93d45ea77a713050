package io.moezoo.models.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.blocks.attention.BidirectionalSelfAttention;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.layer.MoeOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * One pre-LayerNorm ViT encoder block: \(h = x + \mathrm{Attn}(\mathrm{LN}_1(x))\), \(y = h +
 * \mathrm{MLP}(\mathrm{LN}_2(h))\), where the MLP is a dense {@code Linear → GELU → Linear} or a
 * V-MoE layer of GELU MLP experts.
 */
public final class VisionEncoderBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int hiddenSize;
    private final int mlpSize;
    private final LayerNorm norm1;
    private final BidirectionalSelfAttention attention;
    private final LayerNorm norm2;
    private final MoeLayer moe;
    private final Linear fc1;
    private final Linear fc2;

    /**
     * Creates block i of a model.
     *
     * @param spec the model spec
     * @param index the block index
     */
    public VisionEncoderBlock(VisionMoeSpec spec, int index) {
        super(VERSION);
        hiddenSize = spec.hiddenSize();
        mlpSize = spec.mlpSize();
        norm1 = addChildBlock("norm1", layerNorm(spec));
        attention =
                addChildBlock(
                        "attn",
                        new BidirectionalSelfAttention(spec.hiddenSize(), spec.numHeads(), true));
        norm2 = addChildBlock("norm2", layerNorm(spec));
        if (spec.isMoe(index)) {
            moe = addChildBlock("moe", new MoeLayer(spec.moeLayerSpec()));
            fc1 = null;
            fc2 = null;
        } else {
            moe = null;
            fc1 = addChildBlock("fc1", Linear.builder().setUnits(spec.mlpSize()).build());
            fc2 = addChildBlock("fc2", Linear.builder().setUnits(spec.hiddenSize()).build());
        }
    }

    private static LayerNorm layerNorm(VisionMoeSpec spec) {
        return LayerNorm.builder().axis(1).optEpsilon(spec.layerNormEps()).build();
    }

    /**
     * Returns the MoE layer, or null for a dense block.
     *
     * @return the MoE layer
     */
    public MoeLayer getMoe() {
        return moe;
    }

    /**
     * Runs the block.
     *
     * @param ps the parameter store
     * @param x {@code [B, T, D]}
     * @param training whether this is a training pass
     * @param routings receives this block's MoE output and routing (MoE blocks only)
     * @return {@code [B, T, D]}
     */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training, List<MoeOutput> routings) {
        NDArray normed1 = norm1.forward(ps, new NDList(x), training).head();
        NDArray h = x.add(attention.apply(ps, normed1, training));
        NDArray normed2 = norm2.forward(ps, new NDList(h), training).head();
        if (moe != null) {
            MoeOutput out = moe.forwardRouted(ps, normed2, training);
            routings.add(out);
            return h.add(out.output());
        }
        NDArray hidden = Activation.gelu(fc1.forward(ps, new NDList(normed2), training).head());
        return h.add(fc2.forward(ps, new NDList(hidden), training).head());
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
        norm1.initialize(manager, dataType, flat);
        attention.initialize(manager, dataType, new Shape(-1, -1, hiddenSize));
        norm2.initialize(manager, dataType, flat);
        if (moe != null) {
            moe.initialize(manager, dataType, flat);
        } else {
            fc1.initialize(manager, dataType, flat);
            fc2.initialize(manager, dataType, new Shape(-1, mlpSize));
        }
    }
}
