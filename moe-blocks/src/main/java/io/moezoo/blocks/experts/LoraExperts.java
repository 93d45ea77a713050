package io.moezoo.blocks.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.ConstantInitializer;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.Scalars;
import io.moezoo.blocks.spec.LoraExpertSpec;

/**
 * E LoRA experts over one frozen dense SwiGLU FFN (MixLoRA, LoRAMoE).
 *
 * <p>Expert e applies the frozen projections plus its own low-rank updates, for each of gate, up
 * and down: \(W x + \tfrac{\alpha}{r} B_e A_e x\). A is Xavier-initialised and B zero-initialised,
 * so a fresh bank reproduces the frozen FFN exactly. Parameters: frozen {@code gate_proj [I, H]},
 * {@code up_proj [I, H]}, {@code down_proj [H, I]}; trainable {@code lora_a_* [E, r, in]} and
 * {@code lora_b_* [E, out, r]}.
 */
public final class LoraExperts extends Experts {

    private final LoraExpertSpec kind;

    private static final String[] PROJECTIONS = {"gate", "up", "down"};

    private final Parameter[] base = new Parameter[3];
    private final Parameter[] loraA = new Parameter[3];
    private final Parameter[] loraB = new Parameter[3];

    /**
     * Creates the bank.
     *
     * @param spec a the spec
     */
    public LoraExperts(LoraExpertSpec spec) {
        super(spec);
        this.kind = spec;
        long e = kind.numExperts();
        long h = kind.hiddenSize();
        long i = kind.intermediateSize();
        long r = kind.loraRank();
        long[][] inOut = {{h, i}, {h, i}, {i, h}};
        for (int p = 0; p < 3; p++) {
            long in = inOut[p][0];
            long out = inOut[p][1];
            base[p] =
                    addParameter(
                            Parameter.builder()
                                    .setName(PROJECTIONS[p] + "_proj")
                                    .setType(Parameter.Type.WEIGHT)
                                    .optShape(new Shape(out, in))
                                    .optRequiresGrad(false)
                                    .build());
            loraA[p] =
                    addParameter(
                            weight(
                                    "lora_a_" + PROJECTIONS[p],
                                    Parameter.Type.WEIGHT,
                                    new Shape(e, r, in)));
            loraB[p] =
                    addParameter(
                            Parameter.builder()
                                    .setName("lora_b_" + PROJECTIONS[p])
                                    .setType(Parameter.Type.OTHER)
                                    .optShape(new Shape(e, out, r))
                                    .optInitializer(new ConstantInitializer(0f))
                                    .build());
        }
    }

    /**
     * Returns the frozen base projection ({@code 0} gate, {@code 1} up, {@code 2} down).
     *
     * @param projection the projection index
     * @return the frozen parameter
     */
    public Parameter getBase(int projection) {
        return base[projection];
    }

    /** {@inheritDoc} */
    @Override
    public boolean isStackedPerExpert(Parameter parameter) {
        return java.util.Arrays.stream(base).noneMatch(b -> b == parameter);
    }

    private float scale() {
        return kind.loraAlpha() / kind.loraRank();
    }

    // weights() lists, per projection p, base (3p), A (3p+1), B (3p+2), in addition order.
    private NDArray project(NDList w, int p, NDArray x) {
        NDArray y = Linear.linear(x, ParameterViews.as(w.get(3 * p), x)).head();
        NDArray a = w.get(3 * p + 1);
        NDArray b = w.get(3 * p + 2);
        NDArray low = Linear.linear(Linear.linear(x, a).head(), b).head();
        return y.add(low.mul(Scalars.of(scale(), low)));
    }

    private NDArray projectAll(NDList w, int p, NDArray x) {
        NDArray y = Linear.linear(x, ParameterViews.as(w.get(3 * p), x)).head();
        NDArray a = ParameterViews.transposed(w.get(3 * p + 1), x, 0, 2, 1);
        NDArray b = ParameterViews.transposed(w.get(3 * p + 2), x, 0, 2, 1);
        return y.add(x.batchMatMul(a).batchMatMul(b).mul(Scalars.of(scale(), x)));
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray forwardExpert(NDList w, NDArray x) {
        NDArray gate = project(w, 0, x);
        NDArray up = project(w, 1, x);
        NDArray a = SwiGlu.silu(gate).mul(up);
        return project(w, 2, a);
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray forwardAll(NDList w, NDArray buffer) {
        NDArray gate = projectAll(w, 0, buffer);
        NDArray up = projectAll(w, 1, buffer);
        NDArray a = SwiGlu.silu(gate).mul(up);
        return projectAll(w, 2, a);
    }
}
