package io.moezoo.blocks.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.Projections;
import io.moezoo.blocks.spec.SwiGluExpertSpec;

/**
 * E SwiGLU experts \(y = W_{down}(\mathrm{silu}(W_{gate} x) \odot W_{up} x)\) stored fused in the
 * Hugging Face v5 / vLLM layout: {@code gate_up_proj [E, 2I, H]} (gate rows first, then up) and
 * {@code down_proj [E, H, I]}.
 */
public final class SwiGluExperts extends Experts {

    private final SwiGluExpertSpec kind;

    private final Parameter gateUp;
    private final Parameter down;

    /**
     * Creates the bank.
     *
     * @param spec a the spec
     */
    public SwiGluExperts(SwiGluExpertSpec spec) {
        super(spec);
        this.kind = spec;
        long e = kind.numExperts();
        long h = kind.hiddenSize();
        long i = kind.intermediateSize();
        gateUp =
                addParameter(weight("gate_up_proj", Parameter.Type.WEIGHT, new Shape(e, 2 * i, h)));
        down = addParameter(weight("down_proj", Parameter.Type.WEIGHT, new Shape(e, h, i)));
    }

    /**
     * Returns {@code gate_up_proj [E, 2I, H]}.
     *
     * @return the fused gate/up parameter
     */
    public Parameter getGateUpProj() {
        return gateUp;
    }

    /**
     * Returns {@code down_proj [E, H, I]}.
     *
     * @return the down parameter
     */
    public Parameter getDownProj() {
        return down;
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray forwardExpert(NDList w, NDArray x) {
        NDArray h = Projections.linear(x, w.get(0));
        return Projections.linear(SwiGlu.apply(h), w.get(1));
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray forwardAll(NDList w, NDArray buffer) {
        NDArray h = buffer.batchMatMul(ParameterViews.transposed(w.get(0), buffer, 0, 2, 1));
        NDArray a = SwiGlu.apply(h);
        return a.batchMatMul(ParameterViews.transposed(w.get(1), buffer, 0, 2, 1));
    }
}
