package io.moezoo.blocks.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.Projections;
import io.moezoo.blocks.Scalars;
import io.moezoo.blocks.spec.RouterSpec;

/**
 * Base class of every router: a learned linear map {@code logits = x·Wᵀ} with {@code W: [E', H]}
 * (E' = E plus null experts), plus a bias {@code b: [E']} when the spec asks for one ({@link
 * RouterSpec#bias()}, gpt-oss), computed in float32, followed by the selection rule of the
 * subclass.
 *
 * <p>As a plain DJL block it maps {@code x: [T, H]} to {@code (weights [T, S], experts [T, S]
 * int64, logits [T, E'])}; MoE layers call {@link #route} directly to get the whole {@link
 * RoutingDecision}.
 */
public abstract class Router extends AbstractBlock {

    private static final byte VERSION = 1;

    /** The spec this router implements. */
    protected final RouterSpec spec;

    /** The router weight {@code [E', H]}, named {@code weight} as in HF's {@code gate.weight}. */
    protected final Parameter weight;

    /**
     * The logit bias {@code [E']}, named {@code bias} as in gpt-oss; null when the spec has none.
     */
    protected final Parameter logitBias;

    /**
     * Creates the router's parameters.
     *
     * @param spec the router spec
     */
    protected Router(RouterSpec spec) {
        super(VERSION);
        this.spec = spec;
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.WEIGHT)
                                .build());
        logitBias =
                spec.bias()
                        ? addParameter(
                                Parameter.builder()
                                        .setName("bias")
                                        .setType(Parameter.Type.BIAS)
                                        .build())
                        : null;
    }

    /**
     * Returns the spec.
     *
     * @return the router spec
     */
    public RouterSpec getSpec() {
        return spec;
    }

    /**
     * Returns the number of slots S per token this router fills: k for token-choice routers.
     *
     * @return S
     */
    public int numSlots() {
        return spec.topK();
    }

    /**
     * Routes T tokens.
     *
     * @param parameterStore the parameter store
     * @param x the router input {@code [T, H]}
     * @param groupSize the tokens per sequence (the default routing group)
     * @param training whether this is a training pass (jitter and noise apply only then)
     * @return the decision
     * @throws IllegalArgumentException if x has the wrong shape or contains NaN/infinite values
     */
    public final RoutingDecision route(
            ParameterStore parameterStore, NDArray x, int groupSize, boolean training) {
        Shape shape = x.getShape();
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        long hidden = w.getShape().get(1);
        if (shape.dimension() != 2 || shape.get(1) != hidden) {
            throw new IllegalArgumentException(
                    "Router expects input [T, "
                            + hidden
                            + "], got "
                            + shape
                            + " (hidden-size mismatch)");
        }
        int tokens = Math.toIntExact(shape.get(0));
        int group = spec.groupSize() > 0 ? spec.groupSize() : groupSize;
        if (group <= 0 || tokens % group != 0) {
            throw new IllegalArgumentException(
                    "Routing group size " + group + " does not divide the " + tokens + " tokens");
        }
        NDArray input = x.toType(DataType.FLOAT32, false);
        if (training && spec.jitter() > 0) {
            // Switch/Mixtral jitter scales the router input only; the experts see the clean x.
            float eps = spec.jitter();
            input = input.mul(x.getManager().randomUniform(1 - eps, 1 + eps, shape));
        }
        NDArray b =
                logitBias == null
                        ? null
                        : ParameterViews.as(
                                parameterStore.getValue(logitBias, x.getDevice(), training), input);
        NDArray logits = Projections.linear(input, ParameterViews.as(w, input), b);
        // One small copy and a host scan rather than four engine operations and a sync.
        checkFinite(logits.toFloatArray());
        return select(parameterStore, input, logits, group, training);
    }

    private static void checkFinite(float[] logits) {
        for (float value : logits) {
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException(
                        "Router input contains NaN or infinite values (router logits are not"
                                + " finite)");
            }
        }
    }

    /**
     * Applies the selection rule to the float32 logits.
     *
     * @param parameterStore the parameter store
     * @param input the float32 router input {@code [T, H]} (after jitter)
     * @param logits the logits {@code [T, E']}
     * @param groupSize the tokens per routing group; divides T
     * @param training whether this is a training pass
     * @return the decision
     */
    protected abstract RoutingDecision select(
            ParameterStore parameterStore,
            NDArray input,
            NDArray logits,
            int groupSize,
            boolean training);

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        RoutingDecision d =
                route(parameterStore, x, Math.toIntExact(x.getShape().get(0)), training);
        NDManager manager = x.getManager();
        long[] experts = new long[d.getExperts().length];
        for (int i = 0; i < experts.length; i++) {
            experts[i] = d.getExperts()[i];
        }
        NDArray expertArray = manager.create(experts, new Shape(d.getNumTokens(), d.getNumSlots()));
        return new NDList(d.getWeights(), expertArray, d.getLogits());
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long t = inputShapes[0].get(0);
        return new Shape[] {
            new Shape(t, numSlots()), new Shape(t, numSlots()), new Shape(t, spec.numChoices())
        };
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        long hidden = inputShapes[0].get(inputShapes[0].dimension() - 1);
        weight.setShape(new Shape(spec.numChoices(), hidden));
        if (logitBias != null) {
            logitBias.setShape(new Shape(spec.numChoices()));
        }
        prepareExtra(hidden);
    }

    /**
     * Sets the shapes of parameters a subclass adds.
     *
     * @param hiddenSize H
     */
    protected void prepareExtra(long hiddenSize) {}

    /**
     * Copies an int64 index array to the host as ints.
     *
     * @param indices an int64 array
     * @return the values
     */
    protected static int[] toIntArray(NDArray indices) {
        long[] values = indices.toType(DataType.INT64, false).toLongArray();
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (int) values[i];
        }
        return out;
    }

    /**
     * Replaces null-expert choices (index &gt;= E) by -1, the empty slot.
     *
     * @param choices the chosen router outputs
     * @return the experts to dispatch to
     */
    protected int[] dropNullExperts(int[] choices) {
        int[] experts = choices.clone();
        for (int i = 0; i < experts.length; i++) {
            if (experts[i] >= spec.numExperts()) {
                experts[i] = -1;
            }
        }
        return experts;
    }

    /**
     * Applies renormalisation ({@code w / Σw}) when the spec asks for it, then the scaling factor.
     *
     * @param weights the selected weights {@code [T, S]}
     * @return the combine weights
     */
    protected NDArray finishWeights(NDArray weights) {
        NDArray w = weights;
        if (spec.normalizeTopK()) {
            w = w.div(w.sum(new int[] {-1}, true).add(1e-20f));
        }
        return scaled(w);
    }

    /**
     * Multiplies combine weights by the routed scaling factor (a no-op for 1).
     *
     * @param weights the combine weights
     * @return the scaled weights
     */
    protected NDArray scaled(NDArray weights) {
        return spec.scalingFactor() == 1f
                ? weights
                : weights.mul(Scalars.of(spec.scalingFactor(), weights));
    }
}
