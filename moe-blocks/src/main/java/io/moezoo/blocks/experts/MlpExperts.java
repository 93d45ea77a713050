package io.moezoo.blocks.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.spec.ExpertActivation;
import io.moezoo.blocks.spec.MlpExpertSpec;

/**
 * E two-layer MLP experts \(y = W_2\,\mathrm{act}(W_1 x + b_1) + b_2\) with GELU (ViT, V-MoE) or
 * ReLU (Switch). Weights: {@code fc1 [E, I, H]}, {@code fc2 [E, H, I]}, and with biases {@code
 * fc1_bias [E, I]}, {@code fc2_bias [E, H]}.
 */
public final class MlpExperts extends Experts {

    private final MlpExpertSpec kind;

    private final Parameter fc1;
    private final Parameter fc2;
    private final Parameter fc1Bias;
    private final Parameter fc2Bias;

    /**
     * Creates the bank.
     *
     * @param spec a the spec
     */
    public MlpExperts(MlpExpertSpec spec) {
        super(spec);
        this.kind = spec;
        long e = kind.numExperts();
        long h = kind.hiddenSize();
        long i = kind.intermediateSize();
        fc1 = addParameter(weight("fc1", Parameter.Type.WEIGHT, new Shape(e, i, h)));
        fc2 = addParameter(weight("fc2", Parameter.Type.WEIGHT, new Shape(e, h, i)));
        if (kind.bias()) {
            fc1Bias = addParameter(weight("fc1_bias", Parameter.Type.BIAS, new Shape(e, i)));
            fc2Bias = addParameter(weight("fc2_bias", Parameter.Type.BIAS, new Shape(e, h)));
        } else {
            fc1Bias = null;
            fc2Bias = null;
        }
    }

    /**
     * Returns {@code fc1 [E, I, H]}.
     *
     * @return the first-layer weights
     */
    public Parameter getFc1() {
        return fc1;
    }

    /**
     * Returns {@code fc2 [E, H, I]}.
     *
     * @return the second-layer weights
     */
    public Parameter getFc2() {
        return fc2;
    }

    private NDArray activate(NDArray x) {
        return kind.activation() == ExpertActivation.RELU ? Activation.relu(x) : Activation.gelu(x);
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray forwardExpert(NDList w, NDArray x) {
        NDArray b1 = fc1Bias == null ? null : w.get(2);
        NDArray b2 = fc2Bias == null ? null : w.get(3);
        NDArray h = Linear.linear(x, w.get(0), b1).head();
        return Linear.linear(activate(h), w.get(1), b2).head();
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray forwardAll(NDList w, NDArray buffer) {
        NDArray h = buffer.batchMatMul(ParameterViews.transposed(w.get(0), buffer, 0, 2, 1));
        if (fc1Bias != null) {
            h = h.add(ParameterViews.reshaped(w.get(2), buffer, h.getShape().get(0), 1, -1));
        }
        NDArray y = activate(h).batchMatMul(ParameterViews.transposed(w.get(1), buffer, 0, 2, 1));
        if (fc2Bias != null) {
            y = y.add(ParameterViews.reshaped(w.get(3), buffer, y.getShape().get(0), 1, -1));
        }
        return y;
    }
}
