package io.moezoo.models.timeseries;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.blocks.ParameterViews;

/**
 * Time-MoE's point-wise token embedding ({@code TimeMoeInputEmbedding}): each time step's value x_t
 * becomes one token \(h_t = \mathrm{SiLU}(W_{gate} x_t) \odot (W_{emb} x_t)\), both weights {@code
 * [H, 1]} without bias. Input {@code [B, S]} (or {@code [B, S, 1]}), output {@code [B, S, H]}.
 */
public final class PointEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int hiddenSize;
    private final Parameter embedding;
    private final Parameter gate;

    /**
     * Creates the embedding.
     *
     * @param hiddenSize H
     */
    public PointEmbedding(int hiddenSize) {
        super(VERSION);
        if (hiddenSize <= 0) {
            throw new IllegalArgumentException("hidden size must be > 0, got " + hiddenSize);
        }
        this.hiddenSize = hiddenSize;
        embedding = addParameter(weight("emb_layer"));
        gate = addParameter(weight("gate_layer"));
    }

    private Parameter weight(String name) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(hiddenSize, 1))
                .build();
    }

    /**
     * Returns {@code emb_layer} {@code [H, 1]}.
     *
     * @return the embedding weight
     */
    public Parameter getEmbedding() {
        return embedding;
    }

    /**
     * Returns {@code gate_layer} {@code [H, 1]}.
     *
     * @return the gate weight
     */
    public Parameter getGate() {
        return gate;
    }

    /**
     * Embeds the values.
     *
     * @param ps the parameter store
     * @param values {@code [B, S]} or {@code [B, S, 1]}
     * @param training whether this is a training pass
     * @return {@code [B, S, H]}
     */
    public NDArray apply(ParameterStore ps, NDArray values, boolean training) {
        Shape shape = values.getShape();
        NDArray x = shape.dimension() == 2 ? values.expandDims(-1) : values;
        NDArray we = ParameterViews.as(ps.getValue(embedding, x.getDevice(), training), x);
        NDArray wg = ParameterViews.as(ps.getValue(gate, x.getDevice(), training), x);
        NDArray g = Linear.linear(x, wg).head();
        NDArray gated = Activation.sigmoid(g).mul(g);
        return gated.mul(Linear.linear(x, we).head());
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
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), hiddenSize)};
    }
}
