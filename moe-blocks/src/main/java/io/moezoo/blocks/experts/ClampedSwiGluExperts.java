package io.moezoo.blocks.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.spec.ClampedSwiGluExpertSpec;

/**
 * A bank of gpt-oss experts ({@link ClampedSwiGluExpertSpec}): {@code gate_up_proj [E, 2I, H]}
 * (gate rows first, as {@link SwiGluExperts}), {@code gate_up_bias [E, 2I]}, {@code down_proj [E,
 * H, I]}, {@code down_bias [E, H]}.
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
        long e = spec.numExperts();
        long h = spec.hiddenSize();
        long i = spec.intermediateSize();
        gateUp =
                addParameter(weight("gate_up_proj", Parameter.Type.WEIGHT, new Shape(e, 2 * i, h)));
        gateUpBias = addParameter(weight("gate_up_bias", Parameter.Type.BIAS, new Shape(e, 2 * i)));
        down = addParameter(weight("down_proj", Parameter.Type.WEIGHT, new Shape(e, h, i)));
        downBias = addParameter(weight("down_bias", Parameter.Type.BIAS, new Shape(e, h)));
    }

    /**
     * Returns the fused gate/up projection {@code [E, 2I, H]}.
     *
     * @return the parameter
     */
    public Parameter getGateUpProj() {
        return gateUp;
    }

    /**
     * Returns the gate/up biases {@code [E, 2I]}.
     *
     * @return the parameter
     */
    public Parameter getGateUpBias() {
        return gateUpBias;
    }

    /**
     * Returns the down projection {@code [E, H, I]}.
     *
     * @return the parameter
     */
    public Parameter getDownProj() {
        return down;
    }

    /**
     * Returns the down biases {@code [E, H]}.
     *
     * @return the parameter
     */
    public Parameter getDownBias() {
        return downBias;
    }

    /** (u' + 1) · g' · σ(α g') over the fused [gate | up] last axis. */
    private NDArray activate(NDArray fused) {
        NDList gu = fused.split(2, fused.getShape().dimension() - 1);
        NDArray g = gu.get(0).minimum(kind.limit());
        NDArray u = gu.get(1).clip(-kind.limit(), kind.limit());
        NDArray glu = g.mul(Activation.sigmoid(g.mul(kind.alpha())));
        return u.add(1f).mul(glu);
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray forwardExpert(NDList w, NDArray x) {
        NDArray h = Linear.linear(x, w.get(0), w.get(1)).head();
        return Linear.linear(activate(h), w.get(2), w.get(3)).head();
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray forwardAll(NDList w, NDArray buffer) {
        long e = buffer.getShape().get(0);
        NDArray h = buffer.batchMatMul(ParameterViews.transposed(w.get(0), buffer, 0, 2, 1));
        h = h.add(ParameterViews.reshaped(w.get(1), buffer, e, 1, -1));
        NDArray y = activate(h).batchMatMul(ParameterViews.transposed(w.get(2), buffer, 0, 2, 1));
        return y.add(ParameterViews.reshaped(w.get(3), buffer, e, 1, -1));
    }
}
