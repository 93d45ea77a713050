package io.moezoo.blocks.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.spec.LinearExpertSpec;

/**
 * E linear maps \(y = W_e x\) with {@code weight [E, I, H]} (H in, I out): JetMoE's attention
 * experts and ScatterMoE's {@code ParallelExperts}.
 */
public final class LinearExperts extends Experts {

    private final LinearExpertSpec kind;

    private final Parameter weight;

    /**
     * Creates the bank.
     *
     * @param spec a the spec (H in, I out)
     */
    public LinearExperts(LinearExpertSpec spec) {
        super(spec);
        this.kind = spec;
        weight =
                addParameter(
                        weight(
                                "weight",
                                Parameter.Type.WEIGHT,
                                new Shape(
                                        kind.numExperts(),
                                        kind.intermediateSize(),
                                        kind.hiddenSize())));
    }

    /**
     * Returns {@code weight [E, I, H]}.
     *
     * @return the stacked weights
     */
    public Parameter getWeight() {
        return weight;
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray forwardExpert(NDList w, NDArray x) {
        return Linear.linear(x, w.get(0)).head();
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray forwardAll(NDList w, NDArray buffer) {
        return buffer.batchMatMul(ParameterViews.transposed(w.get(0), buffer, 0, 2, 1));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(kind.intermediateSize())};
    }
}
