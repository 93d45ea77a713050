package io.moezoo.blocks.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.Projections;
import io.moezoo.blocks.Scalars;
import io.moezoo.blocks.spec.ClampedSwiGluExpertSpec;

/**
 * E gpt-oss experts ({@link ClampedSwiGluExpertSpec}): \(g = \min(W_g x + b_g, \ell)\), \(u =
 * \mathrm{clamp}(W_u x + b_u, -\ell, \ell)\), \(y = W_d((u + 1)\, g\, \sigma(\alpha g)) + b_d\).
 *
 * <p>Weights, as {@link SwiGluExperts} fused gate rows first: {@code gate_up_proj [E, 2I, H]},
 * {@code gate_up_bias [E, 2I]}, {@code down_proj [E, H, I]}, {@code down_bias [E, H]}. (Hugging
 * Face stores gpt-oss's gate and up columns interleaved and as x·W; an importer de-interleaves and
 * transposes.)
 */
public final class ClampedSwiGluExperts extends Experts {

    private final ClampedSwiGluExpertSpec kind;

    private final Parameter gateUp;
    private final Parameter gateUpBias;
    private final Parameter down;
    private final Parameter downBias;

    /**
     * Creates the bank.
     *
     * @param spec the spec
     */
    public ClampedSwiGluExperts(ClampedSwiGluExpertSpec spec) {
        super(spec);
        this.kind = spec;
        long e = kind.numExperts();
        long h = kind.hiddenSize();
        long i = kind.intermediateSize();
        gateUp =
                addParameter(weight("gate_up_proj", Parameter.Type.WEIGHT, new Shape(e, 2 * i, h)));
        gateUpBias = addParameter(weight("gate_up_bias", Parameter.Type.BIAS, new Shape(e, 2 * i)));
        down = addParameter(weight("down_proj", Parameter.Type.WEIGHT, new Shape(e, h, i)));
        downBias = addParameter(weight("down_bias", Parameter.Type.BIAS, new Shape(e, h)));
    }

    /**
     * Returns {@code gate_up_proj [E, 2I, H]}.
     *
     * @return the fused gate/up weights
     */
    public Parameter getGateUpProj() {
        return gateUp;
    }

    /**
     * Returns {@code gate_up_bias [E, 2I]}.
     *
     * @return the fused gate/up bias
     */
    public Parameter getGateUpBias() {
        return gateUpBias;
    }

    /**
     * Returns {@code down_proj [E, H, I]}.
     *
     * @return the down weights
     */
    public Parameter getDownProj() {
        return down;
    }

    /**
     * Returns {@code down_bias [E, H]}.
     *
     * @return the down bias
     */
    public Parameter getDownBias() {
        return downBias;
    }

    /**
     * The clamped gated activation on a fused projection whose last axis holds the I gate values
     * first, then the I up values: {@code (clamp(u) + 1) · g' · σ(α·g')} with {@code g' = min(g,
     * limit)}.
     *
     * @param fused {@code [..., 2I]}
     * @return {@code [..., I]}
     */
    private NDArray activate(NDArray fused) {
        NDList gu = fused.split(2, fused.getShape().dimension() - 1);
        float limit = kind.limit();
        NDArray g = gu.get(0).minimum(limit);
        NDArray u = gu.get(1).clip(-limit, limit);
        NDArray glu = Activation.sigmoid(g.mul(Scalars.of(kind.alpha(), g))).mul(g);
        return u.add(Scalars.of(1f, u)).mul(glu);
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray forwardExpert(NDList w, NDArray x) {
        NDArray h = Projections.linear(x, w.get(0), w.get(1));
        return Projections.linear(activate(h), w.get(2), w.get(3));
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray forwardAll(NDList w, NDArray buffer) {
        long e = buffer.getShape().get(0);
        NDArray h =
                buffer.batchMatMul(ParameterViews.transposed(w.get(0), buffer, 0, 2, 1))
                        .add(ParameterViews.reshaped(w.get(1), buffer, e, 1, -1));
        return activate(h)
                .batchMatMul(ParameterViews.transposed(w.get(2), buffer, 0, 2, 1))
                .add(ParameterViews.reshaped(w.get(3), buffer, e, 1, -1));
    }
}
