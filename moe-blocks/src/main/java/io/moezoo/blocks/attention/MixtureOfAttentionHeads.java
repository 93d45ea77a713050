package io.moezoo.blocks.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.dispatch.DispatchPlan;
import io.moezoo.blocks.dispatch.SortedDispatcher;
import io.moezoo.blocks.experts.LinearExperts;
import io.moezoo.blocks.routing.Router;
import io.moezoo.blocks.routing.RouterKinds;
import io.moezoo.blocks.routing.RoutingDecision;
import io.moezoo.blocks.spec.LinearExpertSpec;

/**
 * JetMoE mixture of attention heads (MoA): attention experts own the query and output projections,
 * keys and values are shared.
 *
 * <pre>
 *   k, v   = split(kv_proj(x))                      n shared heads of size d (keys first)
 *   (e, g) = top-k-softmax router(x)                k experts per token with gates g
 *   q      = [W_in[e_1] x, …, W_in[e_k] x]          k·n query heads, head s·n + j from slot s
 *   o      = causal attention(RoPE(q), RoPE(k), v)  query head h reads kv head h mod n
 *   y      = Σ_s g_s · W_out[e_s] o_s + bias
 * </pre>
 *
 * <p>The per-expert projections use the sorted dispatch: tokens grouped by expert, one matmul per
 * expert, un-sorted with the dispatch plan.
 */
public final class MixtureOfAttentionHeads extends AttentionBlock {

    private static final byte VERSION = 1;

    private final MoaSpec spec;
    private final RotaryEmbedding rope;
    private final Parameter kvProj;
    private final Router router;
    private final LinearExperts inputLinear;
    private final LinearExperts outputLinear;
    private final Parameter bias;

    /**
     * Creates the layer.
     *
     * @param spec the MoA spec
     */
    public MixtureOfAttentionHeads(MoaSpec spec) {
        super(VERSION);
        this.spec = spec;
        int h = spec.hiddenSize();
        int p = spec.projectionSize();
        rope = RotaryEmbedding.standard(spec.headDim(), spec.ropeTheta(), 1.0);
        kvProj =
                addParameter(
                        Parameter.builder()
                                .setName("kv_proj")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(2L * p, h))
                                .build());
        router = addChildBlock("router", RouterKinds.create(spec.router()));
        inputLinear =
                addChildBlock("input_linear", new LinearExperts(linear(spec.numExperts(), h, p)));
        outputLinear =
                addChildBlock("output_linear", new LinearExperts(linear(spec.numExperts(), p, h)));
        bias =
                addParameter(
                        Parameter.builder()
                                .setName("bias")
                                .setType(Parameter.Type.BIAS)
                                .optShape(new Shape(h))
                                .build());
    }

    private static LinearExpertSpec linear(int experts, int in, int out) {
        return new LinearExpertSpec(experts, in, out);
    }

    /**
     * Returns the shared key/value projection {@code [2·n·d, H]} (keys first).
     *
     * @return the parameter
     */
    public Parameter getKvProj() {
        return kvProj;
    }

    /**
     * Returns the attention-expert router.
     *
     * @return the router
     */
    public Router getRouter() {
        return router;
    }

    /**
     * Returns the per-expert query projections {@code [E, n·d, H]}.
     *
     * @return the bank
     */
    public LinearExperts getInputLinear() {
        return inputLinear;
    }

    /**
     * Returns the per-expert output projections {@code [E, H, n·d]}.
     *
     * @return the bank
     */
    public LinearExperts getOutputLinear() {
        return outputLinear;
    }

    /**
     * Returns the output bias {@code [H]}.
     *
     * @return the parameter
     */
    public Parameter getBias() {
        return bias;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray apply(ParameterStore ps, NDArray x, KvCache cache, int layer, boolean training) {
        NDManager manager = x.getManager();
        long batch = x.getShape().get(0);
        int length = Math.toIntExact(x.getShape().get(1));
        long tokens = batch * length;
        long offset = cache == null ? 0 : cache.length();
        int n = spec.numKvHeads();
        int k = spec.topK();
        int d = spec.headDim();
        int p = spec.projectionSize();
        NDArray flat = x.reshape(tokens, spec.hiddenSize());
        RoutingDecision decision = router.route(ps, flat, length, training);
        DispatchPlan plan = DispatchPlan.of(decision);
        NDArray rows = flat.get(new NDIndex("{}", manager.create(plan.sortedTokens())));
        NDArray sortedQueries = inputLinear.forwardGrouped(ps, rows, plan.counts(), training);
        // Top-k routing fills every slot, so the combine index is the (token, slot) order.
        NDArray queries =
                sortedQueries
                        .get(new NDIndex("{}", manager.create(plan.combineIndex())))
                        .reshape(batch, length, (long) k * n, d)
                        .transpose(0, 2, 1, 3);
        NDArray kv =
                Linear.linear(x, ParameterViews.as(ps.getValue(kvProj, x.getDevice(), training), x))
                        .head();
        NDList kvParts = kv.split(2, 2);
        NDArray keys = kvParts.get(0).reshape(batch, length, n, d).transpose(0, 2, 1, 3);
        NDArray values = kvParts.get(1).reshape(batch, length, n, d).transpose(0, 2, 1, 3);
        NDList tables = rope.tables(manager, offset, length);
        queries = rope.apply(queries, tables);
        keys = rope.apply(keys, tables);
        if (cache != null) {
            NDList all = cache.append(layer, keys, values);
            keys = all.get(0);
            values = all.get(1);
        }
        if (k > 1) {
            // Tiled, not interleaved: query head s·n + j reads kv head j.
            keys = keys.tile(new long[] {1, k, 1, 1});
            values = values.tile(new long[] {1, k, 1, 1});
        }
        NDArray context =
                attend(queries, keys, values, (float) (1 / Math.sqrt(d)), offset, 0)
                        .reshape(tokens * k, p);
        NDArray sortedContext = context.get(new NDIndex("{}", manager.create(plan.sortedSlots())));
        NDArray out = outputLinear.forwardGrouped(ps, sortedContext, plan.counts(), training);
        NDArray y = SortedDispatcher.combine(out, plan, decision);
        y = y.add(ParameterViews.as(ps.getValue(bias, x.getDevice(), training), y));
        return y.reshape(batch, length, spec.hiddenSize());
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        router.initialize(manager, dataType, new Shape(-1, spec.hiddenSize()));
        inputLinear.initialize(
                manager, dataType, new Shape(spec.numExperts(), -1, spec.hiddenSize()));
        outputLinear.initialize(
                manager, dataType, new Shape(spec.numExperts(), -1, spec.projectionSize()));
    }
}
