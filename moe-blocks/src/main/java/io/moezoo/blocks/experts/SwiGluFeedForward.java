package io.moezoo.blocks.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.Projections;
import io.moezoo.blocks.residual.FeedForward;
import io.moezoo.blocks.residual.RoutedOutput;

/**
 * A dense SwiGLU FFN \(y = W_{down}(\mathrm{silu}(W_{gate} x) \odot W_{up} x)\), optionally scaled
 * per token by \(\sigma(x w_g)\).
 *
 * <p>It is the always-on shared expert of DeepSeekMoE (ungated) and Qwen2-MoE / Time-MoE (gated,
 * {@code shared_expert_gate [1, H]}), the dense baseline of the benchmarks and the source of sparse
 * upcycling. Parameters: {@code gate_proj [I, H]}, {@code up_proj [I, H]}, {@code down_proj [H,
 * I]}, and when gated {@code shared_expert_gate [1, H]}.
 */
public final class SwiGluFeedForward extends AbstractBlock implements FeedForward {

    private static final byte VERSION = 1;

    private final int hiddenSize;
    private final int intermediateSize;
    private final Parameter gateProj;
    private final Parameter upProj;
    private final Parameter downProj;
    private final Parameter outputGate;

    /**
     * Creates the FFN.
     *
     * @param hiddenSize H
     * @param intermediateSize I
     * @param gated whether a per-token sigmoid gate scales the output
     */
    public SwiGluFeedForward(int hiddenSize, int intermediateSize, boolean gated) {
        super(VERSION);
        if (hiddenSize <= 0 || intermediateSize <= 0) {
            throw new IllegalArgumentException(
                    "SwiGLU FFN sizes must be > 0, got H="
                            + hiddenSize
                            + ", I="
                            + intermediateSize);
        }
        this.hiddenSize = hiddenSize;
        this.intermediateSize = intermediateSize;
        gateProj = addParameter(param("gate_proj", new Shape(intermediateSize, hiddenSize)));
        upProj = addParameter(param("up_proj", new Shape(intermediateSize, hiddenSize)));
        downProj = addParameter(param("down_proj", new Shape(hiddenSize, intermediateSize)));
        outputGate =
                gated ? addParameter(param("shared_expert_gate", new Shape(1, hiddenSize))) : null;
    }

    private static Parameter param(String name, Shape shape) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(shape)
                .build();
    }

    /** {@inheritDoc} */
    @Override
    public int getHiddenSize() {
        return hiddenSize;
    }

    /**
     * Returns I.
     *
     * @return the intermediate size
     */
    public int getIntermediateSize() {
        return intermediateSize;
    }

    /**
     * Returns {@code gate_proj [I, H]}.
     *
     * @return the parameter
     */
    public Parameter getGateProj() {
        return gateProj;
    }

    /**
     * Returns {@code up_proj [I, H]}.
     *
     * @return the parameter
     */
    public Parameter getUpProj() {
        return upProj;
    }

    /**
     * Returns {@code down_proj [H, I]}.
     *
     * @return the parameter
     */
    public Parameter getDownProj() {
        return downProj;
    }

    /**
     * Returns {@code shared_expert_gate [1, H]}, or null when ungated.
     *
     * @return the parameter
     */
    public Parameter getOutputGate() {
        return outputGate;
    }

    /**
     * Applies the FFN to {@code [..., H]}.
     *
     * @param ps the parameter store
     * @param x the input
     * @param training whether this is a training pass
     * @return {@code [..., H]}
     */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray a =
                SwiGlu.silu(linear(ps, gateProj, x, training)).mul(linear(ps, upProj, x, training));
        NDArray y = linear(ps, downProj, a, training);
        if (outputGate != null) {
            y = y.mul(Activation.sigmoid(linear(ps, outputGate, x, training)));
        }
        return y;
    }

    /** {@inheritDoc} */
    @Override
    public RoutedOutput forwardRouted(ParameterStore ps, NDArray x, boolean training) {
        return RoutedOutput.dense(apply(ps, x, training));
    }

    private static NDArray linear(ParameterStore ps, Parameter w, NDArray x, boolean training) {
        return Projections.linear(x, ParameterViews.as(ps.getValue(w, x.getDevice(), training), x));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
