package io.moezoo.models.timeseries;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.attention.AttentionContext;
import io.moezoo.blocks.attention.RmsNorm;
import io.moezoo.blocks.loss.AuxLossTerm;
import io.moezoo.blocks.loss.AuxiliaryLosses;
import io.moezoo.blocks.loss.LayerRouting;
import io.moezoo.blocks.loss.LoadBalancingLoss;
import io.moezoo.blocks.loss.MoeLoss;
import io.moezoo.blocks.residual.RoutedOutput;
import io.moezoo.blocks.routing.RoutingDecision;
import io.moezoo.translators.timeseries.TimeMoeForecastTranslator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Time-MoE-style decoder-only forecaster ({@code TimeMoeForPrediction}): {@link PointEmbedding}
 * (one token per time step), L {@link TimeMoeLayer}s, a final RMSNorm and one linear head {@code
 * [h, H]} (no bias) per horizon length h; with {@link TimeMoeSpec#lastValueSkip()} every head's
 * output at position t is added to the input value x_t (a learned correction of the naive
 * forecast).
 *
 * <p>Block protocol: input {@code [B, S]} float32 values (already normalised per series), S ≤ the
 * spec's context length; output one array {@code [B, S, h]} per head, named {@code horizon_<h>}
 * (see {@link TimeMoeForecastTranslator#HEAD_PREFIX}), where position t of head h predicts the
 * values t+1…t+h. Attention is causal, so position t depends only on values 0…t. Training passes
 * append the load-balancing loss (the Mixtral function pooled over layers, times {@code
 * router_aux_loss_factor}) named {@value MoeLoss#AUX_LOSS}.
 */
public final class TimeMoeForecaster extends AbstractBlock {

    private static final byte VERSION = 1;

    private final TimeMoeSpec spec;
    private final PointEmbedding embedding;
    private final List<TimeMoeLayer> layers = new ArrayList<>();
    private final RmsNorm norm;
    private final List<Parameter> heads = new ArrayList<>();

    /**
     * Creates the forecaster.
     *
     * @param spec the spec
     */
    public TimeMoeForecaster(TimeMoeSpec spec) {
        super(VERSION);
        this.spec = spec;
        embedding = addChildBlock("embed_layer", new PointEmbedding(spec.hiddenSize()));
        for (int i = 0; i < spec.numHiddenLayers(); i++) {
            layers.add(addChildBlock("layers_" + i, new TimeMoeLayer(spec)));
        }
        norm = addChildBlock("norm", new RmsNorm(spec.hiddenSize(), spec.rmsNormEps()));
        int[] horizons = spec.horizonLengths();
        for (int i = 0; i < horizons.length; i++) {
            heads.add(
                    addParameter(
                            Parameter.builder()
                                    .setName("lm_heads_" + i)
                                    .setType(Parameter.Type.WEIGHT)
                                    .optShape(new Shape(horizons[i], spec.hiddenSize()))
                                    .build()));
        }
    }

    /**
     * Returns the spec.
     *
     * @return the spec
     */
    public TimeMoeSpec getSpec() {
        return spec;
    }

    /**
     * Returns the decoder layers.
     *
     * @return the layers
     */
    public List<TimeMoeLayer> getLayers() {
        return Collections.unmodifiableList(layers);
    }

    /**
     * Runs the model and every head.
     *
     * @param ps the parameter store
     * @param values {@code [B, S]} normalised values
     * @param training whether this is a training pass
     * @param routings receives each layer's routing decision (may be null)
     * @return one {@code [B, S, h]} array per head, named {@code horizon_<h>}
     * @throws IllegalArgumentException if the input is not {@code [B, S]} with 1 ≤ S ≤ context
     *     length
     */
    public NDList forecastHeads(
            ParameterStore ps, NDArray values, boolean training, List<RoutingDecision> routings) {
        Shape shape = values.getShape();
        if (shape.dimension() != 2 || shape.get(0) < 1 || shape.get(1) < 1) {
            throw new IllegalArgumentException(
                    "Time-MoE forecaster expects values [B, S], got " + shape);
        }
        if (shape.get(1) > spec.contextLength()) {
            throw new IllegalArgumentException(
                    "Sequence of "
                            + shape.get(1)
                            + " steps is longer than the context length "
                            + spec.contextLength()
                            + " the model was trained on");
        }
        NDArray x =
                values.getDataType() == DataType.FLOAT32
                        ? values
                        : values.toType(DataType.FLOAT32, false);
        List<RoutingDecision> sink = routings == null ? new ArrayList<>() : routings;
        NDArray h = embedding.apply(ps, x, training);
        for (TimeMoeLayer layer : layers) {
            RoutedOutput out = layer.forwardRouted(ps, h, AttentionContext.none(), training);
            h = out.output();
            sink.add(out.routing());
        }
        h = norm.apply(ps, h, training);
        NDList out = new NDList();
        int[] horizons = spec.horizonLengths();
        NDArray last = spec.lastValueSkip() ? x.expandDims(2) : null; // [B, S, 1]
        for (int i = 0; i < horizons.length; i++) {
            NDArray w = ParameterViews.as(ps.getValue(heads.get(i), h.getDevice(), training), h);
            NDArray prediction = Linear.linear(h, w).head();
            if (last != null) {
                prediction = prediction.add(last);
            }
            prediction.setName(TimeMoeForecastTranslator.HEAD_PREFIX + horizons[i]);
            out.add(prediction);
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        List<RoutingDecision> routings = new ArrayList<>();
        NDList out = forecastHeads(ps, inputs.head(), training, routings);
        if (training && spec.routerAuxLossFactor() > 0) {
            List<LayerRouting> stats = new ArrayList<>();
            for (RoutingDecision d : routings) {
                stats.add(LayerRouting.microBatch(d, spec.numExperts()));
            }
            out.add(
                    AuxiliaryLosses.weightedSum(
                            List.of(
                                    new AuxLossTerm(
                                            new LoadBalancingLoss(), spec.routerAuxLossFactor())),
                            stats));
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        int[] horizons = spec.horizonLengths();
        Shape[] out = new Shape[horizons.length];
        for (int i = 0; i < horizons.length; i++) {
            out[i] = new Shape(in.get(0), in.get(1), horizons[i]);
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        embedding.initialize(manager, dataType, new Shape(1, 1));
        for (TimeMoeLayer layer : layers) {
            layer.initialize(manager, dataType, new Shape(1, 1, spec.hiddenSize()));
        }
        norm.initialize(manager, dataType, new Shape(-1, spec.hiddenSize()));
    }
}
