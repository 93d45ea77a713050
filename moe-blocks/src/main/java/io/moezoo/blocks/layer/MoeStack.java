package io.moezoo.blocks.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.blocks.attention.AttentionContext;
import io.moezoo.blocks.loss.AuxLossTerm;
import io.moezoo.blocks.loss.AuxiliaryLoss;
import io.moezoo.blocks.loss.AuxiliaryLosses;
import io.moezoo.blocks.loss.BalanceWindow;
import io.moezoo.blocks.loss.LayerRouting;
import io.moezoo.blocks.loss.MoeLoss;
import io.moezoo.blocks.residual.PreNormResidualBlock;
import io.moezoo.blocks.residual.RoutedOutput;
import io.moezoo.blocks.routing.RoutingDecision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A model built from MoE layers: an optional input block, L residual pre-norm MoE blocks \(h
 * \leftarrow h + \mathrm{MoE}_l(\mathrm{LayerNorm}(h))\) ({@link PreNormResidualBlock}s without a
 * mixer, children {@code block<l>} holding {@code norm} and {@code moe}), and an optional output
 * block.
 *
 * <p>In training passes the block appends one more output, the weighted sum of its auxiliary losses
 * named {@value MoeLoss#AUX_LOSS}, computed from the routing of all layers; train with a {@link
 * MoeLoss}. Inference passes return only the output block's result, so translators and evaluators
 * see a clean output and the auxiliary tensor never reaches another layer.
 */
public class MoeStack extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block input;
    private final Block output;
    private final List<PreNormResidualBlock> blocks = new ArrayList<>();
    private final List<MoeLayer> layers = new ArrayList<>();
    private final List<AuxLossTerm> auxLosses;
    private final BalanceWindow balanceWindow;
    private final int hiddenSize;

    MoeStack(Builder b) {
        super(VERSION);
        hiddenSize = b.layers.get(0).hiddenSize();
        input = b.input == null ? null : addChildBlock("input", b.input);
        for (int i = 0; i < b.layers.size(); i++) {
            MoeLayer moe = new MoeLayer(b.layers.get(i));
            layers.add(moe);
            blocks.add(
                    addChildBlock(
                            "block" + i,
                            PreNormResidualBlock.builder()
                                    .setFeedForward(
                                            "norm", LayerNorm.builder().axis(1).build(), "moe", moe)
                                    .build()));
        }
        output = b.output == null ? null : addChildBlock("output", b.output);
        auxLosses = List.copyOf(b.auxLosses);
        balanceWindow = b.balanceWindow;
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the MoE layers in order.
     *
     * @return the layers
     */
    public List<MoeLayer> getMoeLayers() {
        return Collections.unmodifiableList(layers);
    }

    /**
     * Returns the balancing window of the count-based losses.
     *
     * @return the window
     */
    public BalanceWindow getBalanceWindow() {
        return balanceWindow;
    }

    /**
     * Runs the input block and the MoE blocks, returning the hidden state and every layer's routing
     * (the output block is not applied).
     *
     * @param parameterStore the parameter store
     * @param inputs the model inputs
     * @param training whether this is a training pass
     * @param routings receives each layer's routing, in order
     * @return the hidden state after the last MoE block
     */
    public NDArray forwardHidden(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            List<RoutingDecision> routings) {
        NDArray h =
                input == null
                        ? inputs.head()
                        : input.forward(parameterStore, inputs, training).head();
        for (PreNormResidualBlock block : blocks) {
            RoutedOutput out =
                    block.forwardRouted(parameterStore, h, AttentionContext.none(), training);
            h = out.output();
            routings.add(out.routing());
        }
        return h;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        List<RoutingDecision> routings = new ArrayList<>();
        NDArray h = forwardHidden(parameterStore, inputs, training, routings);
        NDList result =
                output == null
                        ? new NDList(h)
                        : output.forward(parameterStore, new NDList(h), training);
        if (!training || auxLosses.isEmpty()) {
            return result;
        }
        List<LayerRouting> stats = new ArrayList<>();
        for (int i = 0; i < routings.size(); i++) {
            stats.add(
                    balanceWindow.record(
                            i, routings.get(i), layers.get(i).getSpec().router().numChoices()));
        }
        NDList withAux = new NDList(result);
        withAux.add(AuxiliaryLosses.weightedSum(auxLosses, stats));
        return withAux;
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] hidden = input == null ? inputShapes : input.getOutputShapes(inputShapes);
        return output == null ? hidden : output.getOutputShapes(hidden);
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] hidden = inputShapes;
        if (input != null) {
            input.initialize(manager, dataType, inputShapes);
            hidden = input.getOutputShapes(inputShapes);
        }
        Shape last = hidden[0];
        if (last.get(last.dimension() - 1) != hiddenSize) {
            throw new IllegalArgumentException(
                    "MoE stack expects hidden size "
                            + hiddenSize
                            + " after the input block, got shape "
                            + last
                            + " (hidden-size mismatch)");
        }
        for (PreNormResidualBlock block : blocks) {
            block.initialize(manager, dataType, last);
        }
        if (output != null) {
            output.initialize(manager, dataType, hidden);
        }
    }

    /** Builds a {@link MoeStack}. */
    public static final class Builder {
        private Block input;
        private Block output;
        private final List<io.moezoo.blocks.spec.MoeLayerSpec> layers = new ArrayList<>();
        private final List<AuxLossTerm> auxLosses = new ArrayList<>();
        private BalanceWindow balanceWindow = BalanceWindow.microBatch();

        Builder() {}

        /**
         * Adds an MoE block.
         *
         * @param spec the layer spec
         * @return this builder
         */
        public Builder addLayer(io.moezoo.blocks.spec.MoeLayerSpec spec) {
            layers.add(spec);
            return this;
        }

        /**
         * Sets the block applied before the MoE blocks (e.g. an embedding or a projection to H).
         *
         * @param block the input block
         * @return this builder
         */
        public Builder optInput(Block block) {
            this.input = block;
            return this;
        }

        /**
         * Sets the block applied after the MoE blocks (e.g. a classification head).
         *
         * @param block the output block
         * @return this builder
         */
        public Builder optOutput(Block block) {
            this.output = block;
            return this;
        }

        /**
         * Adds an auxiliary loss with its coefficient.
         *
         * @param loss the loss
         * @param coefficient its weight in the total loss
         * @return this builder
         */
        public Builder addAuxLoss(AuxiliaryLoss loss, float coefficient) {
            auxLosses.add(new AuxLossTerm(loss, coefficient));
            return this;
        }

        /**
         * Sets over how many micro-batches the balancing counts are pooled.
         *
         * @param window the window
         * @return this builder
         */
        public Builder optBalanceWindow(BalanceWindow window) {
            this.balanceWindow = window;
            return this;
        }

        /**
         * Validates and builds the stack.
         *
         * @return the stack
         */
        public MoeStack build() {
            if (layers.isEmpty()) {
                throw new IllegalArgumentException("MoE stack needs at least one layer");
            }
            int h = layers.get(0).hiddenSize();
            for (io.moezoo.blocks.spec.MoeLayerSpec s : layers) {
                if (s.hiddenSize() != h) {
                    throw new IllegalArgumentException(
                            "All MoE layers need the same hidden size: "
                                    + h
                                    + " vs "
                                    + s.hiddenSize()
                                    + " (hidden-size mismatch)");
                }
            }
            if (balanceWindow == null) {
                throw new IllegalArgumentException("balance window is required");
            }
            return new MoeStack(this);
        }
    }
}
