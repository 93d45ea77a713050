package io.moezoo.blocks.residual;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.blocks.attention.AttentionContext;
import io.moezoo.blocks.attention.TokenMixer;
import java.util.HashSet;
import java.util.Set;

/**
 * One pre-norm transformer block, each sublayer behind its own norm and inside a residual
 * connection:
 *
 * <pre>
 *   h = x + Mixer(Norm₁(x))          (skipped when the block has no mixer)
 *   y = h + FFN(Norm₂(h))            FFN: dense MLP or MoE layer
 * </pre>
 *
 * <p>The decoder ({@code input_layernorm}, {@code self_attn}, {@code post_attention_layernorm},
 * {@code mlp}), the ViT encoder ({@code norm1}, {@code attn}, {@code norm2}, MLP) and the MoE stack
 * (a norm and an MoE layer, no mixer) are configurations of this block. The caller names the child
 * blocks, so each family keeps its parameter paths ({@code block.getParameters()} keys, which the
 * shipped weight files use); children are added in the order norm₁, mixer, norm₂, feed-forward. The
 * norms are whatever blocks the caller supplies ({@code RmsNorm}, DJL's {@code LayerNorm}); they
 * are initialised for {@code [-1, H]}.
 *
 * <p>{@link #forwardRouted} passes an {@link AttentionContext} (KV cache, layer index, key mask) to
 * the mixer and returns the feed-forward's routing with the output. As a plain DJL block it maps
 * {@code [x]} or {@code [x, mask]} to {@code [y]}.
 */
public class PreNormResidualBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int hiddenSize;
    private final Block mixerNorm;
    private final TokenMixer mixer;
    private final Block feedForwardNorm;
    private final FeedForward feedForward;
    private final float residualScale;

    /**
     * Creates the block a builder describes; subclasses configure the builder for their family.
     *
     * @param builder the builder
     * @throws IllegalArgumentException if the builder is incomplete or inconsistent (see {@link
     *     Builder#build()})
     */
    protected PreNormResidualBlock(Builder builder) {
        super(VERSION);
        builder.validate();
        hiddenSize = builder.feedForward.getHiddenSize();
        if (builder.mixer != null) {
            mixerNorm = addChildBlock(builder.mixerNormName, builder.mixerNorm);
            mixer = addChildBlock(builder.mixerName, builder.mixer);
        } else {
            mixerNorm = null;
            mixer = null;
        }
        feedForwardNorm = addChildBlock(builder.feedForwardNormName, builder.feedForwardNorm);
        feedForward = addChildBlock(builder.feedForwardName, builder.feedForward);
        residualScale = builder.residualScale;
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
     * Returns H.
     *
     * @return the hidden size
     */
    public int getHiddenSize() {
        return hiddenSize;
    }

    /**
     * Returns the norm in front of the mixer, or null when the block has no mixer.
     *
     * @return the norm
     */
    public Block getMixerNorm() {
        return mixerNorm;
    }

    /**
     * Returns the mixer (self-attention), or null when the block has none.
     *
     * @return the mixer
     */
    public TokenMixer getMixer() {
        return mixer;
    }

    /**
     * Returns the norm in front of the feed-forward.
     *
     * @return the norm
     */
    public Block getFeedForwardNorm() {
        return feedForwardNorm;
    }

    /**
     * Returns the feed-forward (dense MLP or MoE layer).
     *
     * @return the feed-forward
     */
    public FeedForward getFeedForward() {
        return feedForward;
    }

    /**
     * Runs the block.
     *
     * @param ps the parameter store
     * @param x the input {@code [B, S, H]} (without a mixer also {@code [T, H]})
     * @param context the mixer's KV cache and key mask ({@link AttentionContext#none()} for none)
     * @param training whether this is a training pass
     * @return the output, shaped like x, with the feed-forward's routing (null when dense)
     * @throws IllegalArgumentException if a sublayer rejects x or the context
     */
    public RoutedOutput forwardRouted(
            ParameterStore ps, NDArray x, AttentionContext context, boolean training) {
        NDArray h = x;
        if (mixer != null) {
            h =
                    x.add(
                            scaled(
                                    mixer.mix(
                                            ps,
                                            normalize(mixerNorm, ps, x, training),
                                            context,
                                            training)));
        }
        RoutedOutput ffn =
                feedForward.forwardRouted(
                        ps, normalize(feedForwardNorm, ps, h, training), training);
        return new RoutedOutput(h.add(scaled(ffn.output())), ffn.routing());
    }

    private NDArray scaled(NDArray branch) {
        return residualScale == 1f ? branch : branch.mul(residualScale);
    }

    private static NDArray normalize(Block norm, ParameterStore ps, NDArray x, boolean training) {
        return norm.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.isEmpty() || inputs.size() > 2) {
            throw new IllegalArgumentException(
                    "A residual block takes [x] or [x, mask], got " + inputs.size() + " arrays");
        }
        AttentionContext context =
                inputs.size() == 2
                        ? AttentionContext.masked(inputs.get(1))
                        : AttentionContext.none();
        return new NDList(forwardRouted(ps, inputs.head(), context, training).output());
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
        Shape flat = new Shape(-1, hiddenSize);
        if (mixer != null) {
            mixerNorm.initialize(manager, dataType, flat);
            mixer.initialize(manager, dataType, inputShapes[0]);
        }
        feedForwardNorm.initialize(manager, dataType, flat);
        feedForward.initialize(manager, dataType, inputShapes[0]);
    }

    /** Builds a {@link PreNormResidualBlock}; the subclass constructors take one too. */
    public static final class Builder {
        private String mixerNormName;
        private Block mixerNorm;
        private String mixerName;
        private TokenMixer mixer;
        private String feedForwardNormName;
        private Block feedForwardNorm;
        private String feedForwardName;
        private FeedForward feedForward;
        private float residualScale = 1f;

        Builder() {}

        /**
         * Puts a mixer sublayer (self-attention) in front of the feed-forward.
         *
         * @param normName the child name of its norm (e.g. {@code input_layernorm})
         * @param norm the norm
         * @param name the child name of the mixer (e.g. {@code self_attn})
         * @param mixer the mixer
         * @return this builder
         */
        public Builder optMixer(String normName, Block norm, String name, TokenMixer mixer) {
            this.mixerNormName = normName;
            this.mixerNorm = norm;
            this.mixerName = name;
            this.mixer = mixer;
            return this;
        }

        /**
         * Scales each sub-layer's output before its residual add: h = x + s · f(norm(x))
         * (GraniteMoE's {@code residual_multiplier}); 1 by default.
         *
         * @param scale s, finite and &gt; 0
         * @return this builder
         */
        public Builder optResidualScale(float scale) {
            this.residualScale = scale;
            return this;
        }

        /**
         * Sets the feed-forward sublayer.
         *
         * @param normName the child name of its norm (e.g. {@code post_attention_layernorm})
         * @param norm the norm
         * @param name the child name of the feed-forward (e.g. {@code mlp})
         * @param feedForward the dense MLP or MoE layer
         * @return this builder
         */
        public Builder setFeedForward(
                String normName, Block norm, String name, FeedForward feedForward) {
            this.feedForwardNormName = normName;
            this.feedForwardNorm = norm;
            this.feedForwardName = name;
            this.feedForward = feedForward;
            return this;
        }

        /**
         * Validates and builds the block.
         *
         * @return the block
         * @throws IllegalArgumentException if the feed-forward or a norm is missing, a child name
         *     is blank or used twice, or the mixer was given without its norm
         */
        public PreNormResidualBlock build() {
            return new PreNormResidualBlock(this);
        }

        void validate() {
            if (!(residualScale > 0) || !Float.isFinite(residualScale)) {
                throw new IllegalArgumentException(
                        "A residual block's residual scale must be finite and > 0, got "
                                + residualScale);
            }
            if (feedForward == null || feedForwardNorm == null) {
                throw new IllegalArgumentException(
                        "A residual block needs a feed-forward and its norm (setFeedForward)");
            }
            Set<String> names = new HashSet<>();
            requireName(names, feedForwardNormName, "feed-forward norm");
            requireName(names, feedForwardName, "feed-forward");
            if (mixer != null || mixerNorm != null || mixerName != null || mixerNormName != null) {
                if (mixer == null || mixerNorm == null) {
                    throw new IllegalArgumentException(
                            "A residual block's mixer needs both the mixer and its norm");
                }
                requireName(names, mixerNormName, "mixer norm");
                requireName(names, mixerName, "mixer");
            }
        }

        private static void requireName(Set<String> names, String name, String what) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(
                        "The " + what + " of a residual block needs a child name");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(
                        "Child name '" + name + "' is used twice in a residual block");
            }
        }
    }
}
