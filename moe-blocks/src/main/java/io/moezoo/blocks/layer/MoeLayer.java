package io.moezoo.blocks.layer;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.dispatch.Dispatcher;
import io.moezoo.blocks.dispatch.DispatcherKinds;
import io.moezoo.blocks.experts.ExpertKinds;
import io.moezoo.blocks.experts.Experts;
import io.moezoo.blocks.experts.SwiGluFeedForward;
import io.moezoo.blocks.residual.FeedForward;
import io.moezoo.blocks.residual.RoutedOutput;
import io.moezoo.blocks.routing.Router;
import io.moezoo.blocks.routing.RouterKinds;
import io.moezoo.blocks.routing.RoutingDecision;
import io.moezoo.blocks.spec.MoeLayerSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A Mixture-of-Experts FFN layer: \(y = \sum_{s} w_{t,s} E_{e(t,s)}(x_t) + \text{shared}(x_t)\).
 *
 * <pre>
 *   x ─▶ router ─▶ decision ─▶ dispatcher(experts) ─▶ (+) ─▶ y
 *   └──────────────────────▶ shared expert (optional) ─┘
 * </pre>
 *
 * <p>Accepts {@code [T, H]} or {@code [B, S, H]}; with three axes each sequence is a routing group
 * (capacity and sequence-wise losses). {@link #forwardRouted} also returns the routing decision for
 * auxiliary losses; the plain block output is only {@code y}, so the layer can be stacked anywhere.
 * {@link #getLastStatistics()} reads the routing statistics of the latest pass.
 */
public class MoeLayer extends AbstractBlock implements FeedForward {

    private static final byte VERSION = 1;

    private final MoeLayerSpec spec;
    private final Router router;
    private final Experts experts;
    private final SwiGluFeedForward sharedExpert;
    private final Parameter outputBias;
    private final Dispatcher dispatcher;
    private volatile RoutingStatistics lastStatistics;

    /**
     * Creates the layer a spec describes.
     *
     * @param spec the layer spec
     */
    public MoeLayer(MoeLayerSpec spec) {
        super(VERSION);
        this.spec = spec;
        router = addChildBlock("router", RouterKinds.create(spec.router()));
        experts = addChildBlock("experts", ExpertKinds.create(spec.experts()));
        if (spec.sharedExpert() != null) {
            sharedExpert =
                    addChildBlock(
                            "shared_expert",
                            new SwiGluFeedForward(
                                    spec.hiddenSize(),
                                    spec.sharedExpert().intermediateSize(),
                                    spec.sharedExpert().gated()));
        } else {
            sharedExpert = null;
        }
        outputBias =
                spec.outputBias()
                        ? addParameter(
                                Parameter.builder()
                                        .setName("bias")
                                        .setType(Parameter.Type.BIAS)
                                        .optShape(new Shape(spec.hiddenSize()))
                                        .build())
                        : null;
        dispatcher = DispatcherKinds.create(spec.dispatch());
    }

    /**
     * Returns the bias added after the combine, or null.
     *
     * @return the output bias {@code [H]}
     */
    public Parameter getOutputBias() {
        return outputBias;
    }

    /**
     * Returns the spec.
     *
     * @return the layer spec
     */
    public MoeLayerSpec getSpec() {
        return spec;
    }

    /** {@inheritDoc} */
    @Override
    public int getHiddenSize() {
        return spec.hiddenSize();
    }

    /**
     * Returns the router block.
     *
     * @return the router
     */
    public Router getRouter() {
        return router;
    }

    /**
     * Returns the routed experts.
     *
     * @return the expert bank
     */
    public Experts getExperts() {
        return experts;
    }

    /**
     * Returns the shared expert, or null.
     *
     * @return the shared expert
     */
    public SwiGluFeedForward getSharedExpert() {
        return sharedExpert;
    }

    /**
     * Returns the routing statistics of the latest forward pass, or null before the first.
     *
     * @return the statistics
     */
    public RoutingStatistics getLastStatistics() {
        return lastStatistics;
    }

    /**
     * Runs the layer and returns its output with the routing decision.
     *
     * @param parameterStore the parameter store
     * @param x {@code [T, H]} or {@code [B, S, H]}
     * @param training whether this is a training pass
     * @return the output and routing
     * @throws IllegalArgumentException if the input shape does not fit the layer
     */
    @Override
    public RoutedOutput forwardRouted(ParameterStore parameterStore, NDArray x, boolean training) {
        Shape shape = x.getShape();
        int hidden = spec.hiddenSize();
        if (shape.dimension() < 2
                || shape.dimension() > 3
                || shape.get(shape.dimension() - 1) != hidden) {
            throw new IllegalArgumentException(
                    "MoE layer expects [T, "
                            + hidden
                            + "] or [B, S, "
                            + hidden
                            + "] input, got "
                            + shape
                            + " (hidden-size mismatch)");
        }
        long tokens = shape.size() / hidden;
        if (tokens == 0) {
            throw new IllegalArgumentException("MoE layer got an empty input " + shape);
        }
        int sequence = Math.toIntExact(shape.dimension() == 3 ? shape.get(1) : shape.get(0));
        NDArray flat = x.reshape(tokens, hidden);
        RoutingDecision decision = router.route(parameterStore, flat, sequence, training);
        NDArray y = dispatcher.dispatch(parameterStore, flat, decision, experts, training);
        if (sharedExpert != null) {
            y = y.add(sharedExpert.apply(parameterStore, flat, training));
        }
        if (outputBias != null) {
            y =
                    y.add(
                            ParameterViews.as(
                                    parameterStore.getValue(outputBias, y.getDevice(), training),
                                    y));
        }
        lastStatistics = RoutingStatistics.of(decision);
        return new RoutedOutput(y.reshape(shape), decision);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        return new NDList(
                forwardRouted(parameterStore, inputs.singletonOrThrow(), training).output());
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape flat = new Shape(-1, spec.hiddenSize());
        router.initialize(manager, dataType, flat);
        experts.initialize(
                manager, dataType, new Shape(spec.experts().numExperts(), -1, spec.hiddenSize()));
        if (sharedExpert != null) {
            sharedExpert.initialize(manager, dataType, flat);
        }
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        os.writeUTF(spec.router().toJson());
        os.writeUTF(spec.experts().toJson());
    }

    /** {@inheritDoc} */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "Unsupported MoeLayer parameter version "
                            + loadVersion
                            + ", expected "
                            + VERSION);
        }
        String routerJson = is.readUTF();
        String expertJson = is.readUTF();
        if (!routerJson.equals(spec.router().toJson())
                || !expertJson.equals(spec.experts().toJson())) {
            throw new MalformedModelException(
                    "Saved MoE layer does not match this layer's spec: saved router "
                            + routerJson
                            + ", experts "
                            + expertJson
                            + "; this layer has router "
                            + spec.router().toJson()
                            + ", experts "
                            + spec.experts().toJson());
        }
    }
}
