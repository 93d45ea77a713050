package io.moezoo.blocks.experts;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.spec.ExpertSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A bank of E experts of one form whose weights are stacked along a leading expert axis.
 *
 * <p>Dispatchers call {@link #forwardGrouped} (rows already grouped by expert: one matmul chain per
 * non-empty expert on a contiguous slice) or {@link #forwardPadded} (an {@code [E, C, H]} buffer:
 * one batched matmul chain for all experts). As a plain DJL block it maps {@code [E, C, H]} to
 * {@code [E, C, H]}.
 */
public abstract class Experts extends AbstractBlock {

    private static final byte VERSION = 1;

    /** The spec of this bank. */
    protected final ExpertSpec spec;

    /**
     * Creates an expert bank.
     *
     * @param spec the spec
     */
    protected Experts(ExpertSpec spec) {
        super(VERSION);
        this.spec = spec;
    }

    /**
     * Returns the spec.
     *
     * @return the expert spec
     */
    public ExpertSpec getSpec() {
        return spec;
    }

    /**
     * Returns whether a parameter of this bank is stacked along a leading expert axis (true for all
     * but shared frozen weights).
     *
     * @param parameter a direct parameter of this bank
     * @return true if the parameter's axis 0 indexes experts
     */
    public boolean isStackedPerExpert(Parameter parameter) {
        return true;
    }

    /**
     * Applies each expert to its contiguous slice of rows.
     *
     * @param parameterStore the parameter store
     * @param sorted rows grouped by expert, {@code [A, H]}
     * @param counts the rows of each expert, in expert order; sums to A
     * @param training whether this is a training pass
     * @return the outputs in the same row order, {@code [A, H]}
     */
    public NDArray forwardGrouped(
            ParameterStore parameterStore, NDArray sorted, int[] counts, boolean training) {
        NDList weights = weights(parameterStore, sorted.getDevice(), training);
        List<Parameter> params = getDirectParameters().values();
        // Training: one split per stacked parameter (its backward is a single concatenation,
        // where per-expert slicing would materialise E full-size gradients). Inference: a view of
        // each active expert only, so decoding one token touches k experts, not E.
        List<NDList> perExpert = new ArrayList<>();
        for (int p = 0; p < params.size(); p++) {
            perExpert.add(
                    training && isStackedPerExpert(params.get(p))
                            ? ParameterViews.unstack(weights.get(p), sorted)
                            : null);
        }
        long[] boundaries = new long[counts.length - 1];
        long offset = 0;
        for (int e = 0; e < boundaries.length; e++) {
            offset += counts[e];
            boundaries[e] = offset;
        }
        NDList rows = sorted.split(boundaries, 0);
        List<NDArray> outputs = new ArrayList<>();
        for (int e = 0; e < counts.length; e++) {
            if (counts[e] == 0) {
                continue;
            }
            NDList expertWeights = new NDList();
            for (int p = 0; p < params.size(); p++) {
                NDList pieces = perExpert.get(p);
                if (pieces != null) {
                    expertWeights.add(pieces.get(e).squeeze(0));
                } else if (isStackedPerExpert(params.get(p))) {
                    expertWeights.add(ParameterViews.slice(weights.get(p), e, sorted));
                } else {
                    expertWeights.add(weights.get(p));
                }
            }
            outputs.add(forwardExpert(expertWeights, rows.get(e)));
        }
        if (outputs.isEmpty()) {
            return sorted.getManager().zeros(sorted.getShape(), sorted.getDataType());
        }
        return outputs.size() == 1 ? outputs.get(0) : NDArrays.concat(new NDList(outputs), 0);
    }

    /**
     * Applies every expert to its row of a padded buffer.
     *
     * @param parameterStore the parameter store
     * @param buffer {@code [E, C, H]}
     * @param training whether this is a training pass
     * @return {@code [E, C, H]}
     */
    public NDArray forwardPadded(ParameterStore parameterStore, NDArray buffer, boolean training) {
        return forwardAll(weights(parameterStore, buffer.getDevice(), training), buffer);
    }

    /**
     * Fetches this bank's weights for one pass.
     *
     * @param parameterStore the parameter store
     * @param device the device
     * @param training whether this is a training pass
     * @return the weights in the order the subclass expects
     */
    protected NDList weights(ParameterStore parameterStore, Device device, boolean training) {
        NDList list = new NDList();
        for (Parameter p : getDirectParameters().values()) {
            list.add(parameterStore.getValue(p, device, training));
        }
        return list;
    }

    /**
     * Applies one expert to rows x.
     *
     * @param weights the expert's own weights, in the order of {@link #weights}: the expert's slice
     *     of each stacked parameter, and shared parameters whole
     * @param x {@code [n, H]}
     * @return {@code [n, H]}
     */
    protected abstract NDArray forwardExpert(NDList weights, NDArray x);

    /**
     * Applies all experts to a buffer.
     *
     * @param weights the weights from {@link #weights}
     * @param buffer {@code [E, C, H]}
     * @return {@code [E, C, H]}
     */
    protected abstract NDArray forwardAll(NDList weights, NDArray buffer);

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        return new NDList(forwardPadded(parameterStore, inputs.singletonOrThrow(), training));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /**
     * Builds a weight parameter with a fixed shape.
     *
     * @param name the parameter name
     * @param type the parameter type
     * @param shape the shape
     * @return the parameter
     */
    protected static Parameter weight(String name, Parameter.Type type, Shape shape) {
        Parameter.Builder builder = Parameter.builder().setName(name).setType(type).optShape(shape);
        if (type == Parameter.Type.WEIGHT && shape.dimension() == 3) {
            builder.optInitializer(new ExpertInitializer());
        }
        return builder.build();
    }
}
