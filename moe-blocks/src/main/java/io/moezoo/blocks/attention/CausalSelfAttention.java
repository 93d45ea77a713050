package io.moezoo.blocks.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.Projections;

/**
 * Grouped-query causal self-attention with rotary positions, in the Hugging Face Llama / Mixtral /
 * Qwen2-MoE / OLMoE form.
 *
 * <pre>
 *   q, k, v = x·W_qᵀ (+b_q), x·W_kᵀ (+b_k), x·W_vᵀ (+b_v)      optional q/k RMSNorm
 *   q, k    = RoPE(q), RoPE(k) at positions offset … offset+S-1
 *   k, v    = cache ++ (k, v); each kv head serves numHeads / numKvHeads query heads
 *   y       = softmax(q·kᵀ / √d + causal mask) · v, then W_o (+b_o)
 * </pre>
 *
 * <p>With sinks (gpt-oss), each head h has a learned logit σ_h that joins every row's softmax
 * denominator and is then dropped: \(p_j = e^{s_j} / (e^{\sigma_h} + \sum_i e^{s_i})\). With {@link
 * AttentionSpec#yarn()}, RoPE uses YaRN frequencies and its attention factor.
 *
 * <p>The mask lets position i see positions ≤ i (and, with a sliding window w, &gt; i - w). Scores
 * and softmax are computed in float32. Parameters: {@code q_proj}, {@code k_proj}, {@code v_proj},
 * {@code o_proj} weights {@code [out, in]}, optional {@code *_bias} (q/k/v, and o), optional {@code
 * sinks [numHeads]}, and {@code q_norm}, {@code k_norm} children.
 */
public final class CausalSelfAttention extends AttentionBlock {

    private static final byte VERSION = 1;

    private final AttentionSpec spec;
    private final RotaryEmbedding rope;
    private final Parameter q;
    private final Parameter k;
    private final Parameter v;
    private final Parameter o;
    private final Parameter qBias;
    private final Parameter kBias;
    private final Parameter vBias;
    private final Parameter oBias;
    private final Parameter sinks;
    private final RmsNorm qNorm;
    private final RmsNorm kNorm;

    /**
     * Creates the attention layer.
     *
     * @param spec the attention spec
     */
    public CausalSelfAttention(AttentionSpec spec) {
        super(VERSION);
        this.spec = spec;
        int h = spec.hiddenSize();
        int qDim = spec.numHeads() * spec.headDim();
        int kvDim = spec.numKvHeads() * spec.headDim();
        rope = spec.rope();
        q = addParameter(weight("q_proj", new Shape(qDim, h), Parameter.Type.WEIGHT));
        k = addParameter(weight("k_proj", new Shape(kvDim, h), Parameter.Type.WEIGHT));
        v = addParameter(weight("v_proj", new Shape(kvDim, h), Parameter.Type.WEIGHT));
        o = addParameter(weight("o_proj", new Shape(h, qDim), Parameter.Type.WEIGHT));
        if (spec.qkvBias()) {
            qBias = addParameter(weight("q_proj_bias", new Shape(qDim), Parameter.Type.BIAS));
            kBias = addParameter(weight("k_proj_bias", new Shape(kvDim), Parameter.Type.BIAS));
            vBias = addParameter(weight("v_proj_bias", new Shape(kvDim), Parameter.Type.BIAS));
        } else {
            qBias = null;
            kBias = null;
            vBias = null;
        }
        oBias =
                spec.oBias()
                        ? addParameter(weight("o_proj_bias", new Shape(h), Parameter.Type.BIAS))
                        : null;
        sinks =
                spec.sinks()
                        ? addParameter(
                                Parameter.builder()
                                        .setName("sinks")
                                        .setType(Parameter.Type.OTHER)
                                        .optShape(new Shape(spec.numHeads()))
                                        .optInitializer(new ConstantInitializer(0f))
                                        .build())
                        : null;
        switch (spec.qkNorm()) {
            case FULL:
                qNorm = addChildBlock("q_norm", new RmsNorm(qDim, spec.rmsNormEps()));
                kNorm = addChildBlock("k_norm", new RmsNorm(kvDim, spec.rmsNormEps()));
                break;
            case PER_HEAD:
                qNorm = addChildBlock("q_norm", new RmsNorm(spec.headDim(), spec.rmsNormEps()));
                kNorm = addChildBlock("k_norm", new RmsNorm(spec.headDim(), spec.rmsNormEps()));
                break;
            default:
                qNorm = null;
                kNorm = null;
        }
    }

    private static Parameter weight(String name, Shape shape, Parameter.Type type) {
        return Parameter.builder().setName(name).setType(type).optShape(shape).build();
    }

    /**
     * Returns the spec.
     *
     * @return the attention spec
     */
    public AttentionSpec getSpec() {
        return spec;
    }

    /**
     * Returns the q/k norms (null when the spec has none).
     *
     * @return {@code [q_norm, k_norm]}
     */
    public RmsNorm[] getQkNorms() {
        return new RmsNorm[] {qNorm, kNorm};
    }

    /** {@inheritDoc} */
    @Override
    public NDArray apply(ParameterStore ps, NDArray x, KvCache cache, int layer, boolean training) {
        long batch = x.getShape().get(0);
        int length = Math.toIntExact(x.getShape().get(1));
        long offset = cache == null ? 0 : cache.length();
        int d = spec.headDim();
        NDArray queries = project(ps, x, q, qBias, training);
        NDArray keys = project(ps, x, k, kBias, training);
        NDArray values = project(ps, x, v, vBias, training);
        if (spec.qkNorm() == AttentionSpec.QkNorm.FULL) {
            queries = qNorm.apply(ps, queries, training);
            keys = kNorm.apply(ps, keys, training);
        }
        queries = queries.reshape(batch, length, spec.numHeads(), d);
        keys = keys.reshape(batch, length, spec.numKvHeads(), d);
        if (spec.qkNorm() == AttentionSpec.QkNorm.PER_HEAD) {
            queries = qNorm.apply(ps, queries, training);
            keys = kNorm.apply(ps, keys, training);
        }
        queries = queries.transpose(0, 2, 1, 3);
        keys = keys.transpose(0, 2, 1, 3);
        values = values.reshape(batch, length, spec.numKvHeads(), d).transpose(0, 2, 1, 3);
        NDList tables = rope.tables(x.getManager(), offset, length);
        queries = rope.apply(queries, tables);
        keys = rope.apply(keys, tables);
        if (cache != null) {
            NDList all = cache.append(layer, keys, values);
            keys = all.get(0);
            values = all.get(1);
        }
        int groups = spec.numHeads() / spec.numKvHeads();
        if (groups > 1) {
            keys = keys.repeat(1, groups);
            values = values.repeat(1, groups);
        }
        NDArray sinkLogits = sinks == null ? null : ps.getValue(sinks, x.getDevice(), training);
        NDArray context =
                attend(
                                queries,
                                keys,
                                values,
                                (float) spec.scale(),
                                offset,
                                spec.slidingWindow(),
                                sinkLogits)
                        .reshape(batch, length, (long) spec.numHeads() * d);
        return project(ps, context, o, oBias, training);
    }

    private static NDArray project(
            ParameterStore ps, NDArray x, Parameter w, Parameter b, boolean training) {
        NDArray weight = ParameterViews.as(ps.getValue(w, x.getDevice(), training), x);
        NDArray bias =
                b == null ? null : ParameterViews.as(ps.getValue(b, x.getDevice(), training), x);
        return Projections.linear(x, weight, bias);
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        if (qNorm != null) {
            long qSize =
                    spec.qkNorm() == AttentionSpec.QkNorm.FULL
                            ? (long) spec.numHeads() * spec.headDim()
                            : spec.headDim();
            long kSize =
                    spec.qkNorm() == AttentionSpec.QkNorm.FULL
                            ? (long) spec.numKvHeads() * spec.headDim()
                            : spec.headDim();
            qNorm.initialize(manager, dataType, new Shape(-1, qSize));
            kNorm.initialize(manager, dataType, new Shape(-1, kSize));
        }
    }
}
