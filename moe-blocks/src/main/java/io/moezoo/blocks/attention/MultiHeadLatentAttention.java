package io.moezoo.blocks.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.Projections;

/**
 * DeepSeek-V2/V3 multi-head latent attention (MLA).
 *
 * <pre>
 *   q            = q_b(RMSNorm(q_a(x)))   (or q_proj(x) without q_lora_rank), split [nope | rope]
 *   [c_kv, k_pe] = kv_a_proj_with_mqa(x);  [k_nope | v] = kv_b(RMSNorm(c_kv)) per head
 *   q_pe, k_pe   = RoPE(q_pe), RoPE(k_pe)  (one k_pe head shared by all heads)
 *   y            = o_proj(softmax(scale · [q_nope|q_pe]·[k_nope|k_pe]ᵀ + mask) · v)
 * </pre>
 *
 * <p>The KV cache holds the per-head keys and values. Parameter names follow the checkpoint: {@code
 * q_proj} or {@code q_a_proj}/{@code q_b_proj} with a {@code q_a_layernorm} child, {@code
 * kv_a_proj_with_mqa}, {@code kv_a_layernorm} child, {@code kv_b_proj}, {@code o_proj}.
 */
public final class MultiHeadLatentAttention extends AttentionBlock {

    private static final byte VERSION = 1;

    private final MlaSpec spec;
    private final Parameter qProj;
    private final Parameter qA;
    private final RmsNorm qANorm;
    private final Parameter qB;
    private final Parameter kvA;
    private final RmsNorm kvANorm;
    private final Parameter kvB;
    private final Parameter oProj;

    /**
     * Creates the layer.
     *
     * @param spec the MLA spec
     */
    public MultiHeadLatentAttention(MlaSpec spec) {
        super(VERSION);
        this.spec = spec;
        int h = spec.hiddenSize();
        int qOut = spec.numHeads() * spec.qkHeadDim();
        if (spec.qLoraRank() == 0) {
            qProj = addParameter(weight("q_proj", qOut, h));
            qA = null;
            qANorm = null;
            qB = null;
        } else {
            qProj = null;
            qA = addParameter(weight("q_a_proj", spec.qLoraRank(), h));
            qANorm =
                    addChildBlock(
                            "q_a_layernorm", new RmsNorm(spec.qLoraRank(), spec.rmsNormEps()));
            qB = addParameter(weight("q_b_proj", qOut, spec.qLoraRank()));
        }
        kvA =
                addParameter(
                        weight("kv_a_proj_with_mqa", spec.kvLoraRank() + spec.qkRopeHeadDim(), h));
        kvANorm =
                addChildBlock("kv_a_layernorm", new RmsNorm(spec.kvLoraRank(), spec.rmsNormEps()));
        kvB =
                addParameter(
                        weight(
                                "kv_b_proj",
                                spec.numHeads() * (spec.qkNopeHeadDim() + spec.vHeadDim()),
                                spec.kvLoraRank()));
        oProj = addParameter(weight("o_proj", h, spec.numHeads() * spec.vHeadDim()));
    }

    private static Parameter weight(String name, long out, long in) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in))
                .build();
    }

    /**
     * Returns the latent RMSNorms: {@code [q_a_layernorm (or null), kv_a_layernorm]}.
     *
     * @return the norms
     */
    public RmsNorm[] getLatentNorms() {
        return new RmsNorm[] {qANorm, kvANorm};
    }

    private static NDArray linear(ParameterStore ps, Parameter w, NDArray x, boolean training) {
        return Projections.linear(x, ParameterViews.as(ps.getValue(w, x.getDevice(), training), x));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray apply(ParameterStore ps, NDArray x, KvCache cache, int layer, boolean training) {
        long batch = x.getShape().get(0);
        int length = Math.toIntExact(x.getShape().get(1));
        long offset = cache == null ? 0 : cache.length();
        int heads = spec.numHeads();
        int nope = spec.qkNopeHeadDim();
        int rope = spec.qkRopeHeadDim();
        NDArray q =
                qProj != null
                        ? linear(ps, qProj, x, training)
                        : linear(
                                ps,
                                qB,
                                qANorm.apply(ps, linear(ps, qA, x, training), training),
                                training);
        q = q.reshape(batch, length, heads, spec.qkHeadDim()).transpose(0, 2, 1, 3);
        NDList qParts = q.split(new long[] {nope}, 3);
        NDList kvParts = linear(ps, kvA, x, training).split(new long[] {spec.kvLoraRank()}, 2);
        NDArray kv =
                linear(ps, kvB, kvANorm.apply(ps, kvParts.get(0), training), training)
                        .reshape(batch, length, heads, nope + spec.vHeadDim())
                        .transpose(0, 2, 1, 3);
        NDList kvSplit = kv.split(new long[] {nope}, 3);
        NDArray kPe = kvParts.get(1).reshape(batch, 1, length, rope);
        NDList tables = spec.rope().tables(x.getManager(), offset, length);
        NDArray qPe = spec.rope().apply(qParts.get(1), tables);
        kPe = spec.rope().apply(kPe, tables).repeat(1, heads);
        NDArray queries = NDArrays.concat(new NDList(qParts.get(0), qPe), 3);
        NDArray keys = NDArrays.concat(new NDList(kvSplit.get(0), kPe), 3);
        NDArray values = kvSplit.get(1);
        if (cache != null) {
            NDList all = cache.append(layer, keys, values);
            keys = all.get(0);
            values = all.get(1);
        }
        NDArray context =
                attend(queries, keys, values, (float) spec.softmaxScale(), offset, 0)
                        .reshape(batch, length, (long) heads * spec.vHeadDim());
        return linear(ps, oProj, context, training);
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        if (qANorm != null) {
            qANorm.initialize(manager, dataType, new Shape(-1, spec.qLoraRank()));
        }
        kvANorm.initialize(manager, dataType, new Shape(-1, spec.kvLoraRank()));
    }
}
