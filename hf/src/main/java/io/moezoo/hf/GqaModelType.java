package io.moezoo.hf;

import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import java.util.List;

/**
 * The model types with grouped-query attention and RoPE (Mixtral, Qwen2/3-MoE, OLMoE): the
 * attention is mapped here once; each type says what differs (RoPE default, sliding window, q/k
 * norms, biases, refused options) and maps its feed-forward layers.
 */
abstract class GqaModelType implements HfModelType {

    private final String name;

    GqaModelType(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** transformers' default {@code rope_theta} of this type. */
    double defaultTheta() {
        return 10000.0;
    }

    /** Whether {@code sliding_window} applies (Qwen needs use_sliding_window; OLMoE has none). */
    boolean slidingWindow() {
        return false;
    }

    /** The q/k normalisation of this type. */
    AttentionSpec.QkNorm qkNorm(ConfigFields c) throws MalformedCheckpointException {
        return AttentionSpec.QkNorm.NONE;
    }

    /** Whether q, k and v projections have biases. */
    boolean qkvBias(ConfigFields c) throws MalformedCheckpointException {
        return false;
    }

    /** Refuses the attention options of the config this type does not implement. */
    void refuseAttentionOptions(ConfigFields c) throws MalformedCheckpointException {}

    /**
     * Returns the factor on q·kᵀ; 0 (the default) means 1/√head_dim.
     *
     * @param c the config
     * @return the score scale
     * @throws MalformedCheckpointException if the config's value is invalid
     */
    double softmaxScale(ConfigFields c) throws MalformedCheckpointException {
        return 0.0;
    }

    /**
     * Returns how many values of each head RoPE rotates; 0 (the default) means all of them.
     *
     * @param c the config
     * @param headDim the head dimension
     * @return the rotary dimension, even, in [0, headDim]
     * @throws MalformedCheckpointException if the config's value is invalid
     */
    int rotaryDim(ConfigFields c, int headDim) throws MalformedCheckpointException {
        return 0;
    }

    /**
     * Returns the linear position-interpolation factor of RoPE (1 without scaling); types with
     * another scaling read it in {@link #extras}.
     *
     * @param c the config
     * @return the factor
     * @throws MalformedCheckpointException if the config's scaling is invalid or not supported
     */
    double linearFactor(ConfigFields c) throws MalformedCheckpointException {
        return RopeConfigs.linearFactor(c, name);
    }

    /**
     * Adds what this type's attention has beyond the common fields (gpt-oss: o_proj bias, sinks,
     * YaRN); the default adds nothing.
     *
     * @param attention the attention mapped from the common fields
     * @param c the config
     * @return the attention spec
     * @throws MalformedCheckpointException if the config's value is invalid
     */
    AttentionSpec extras(AttentionSpec attention, ConfigFields c)
            throws MalformedCheckpointException {
        return attention;
    }

    /**
     * Returns each layer's attention window when layers differ in it (gpt-oss's {@code
     * layer_types}), else null; the default checks that {@code layer_types}, when given, has one
     * entry per layer.
     *
     * @param c the config
     * @param k the common fields
     * @param window the {@code sliding_window} this type reads, 0 for none
     * @return the windows, or null when every layer attends alike
     * @throws MalformedCheckpointException if the config's value is invalid
     */
    List<Integer> slidingWindows(ConfigFields c, HfConfigMapper.Common k, int window)
            throws MalformedCheckpointException {
        HfConfigMapper.layerTypes(c, k, window > 0);
        return null;
    }

    /**
     * Maps the feed-forward layers: one entry per layer, null for a dense layer.
     *
     * @return the layers
     */
    abstract List<MoeLayerSpec> ffn(ConfigFields c, HfConfigMapper.Common k)
            throws MalformedCheckpointException;

    @Override
    public DecoderSpec map(ConfigFields c, HfConfigMapper.Common k)
            throws MalformedCheckpointException {
        AttentionSpec attention = attention(c, k);
        List<Integer> windows = slidingWindows(c, k, attention.slidingWindow());
        List<MoeLayerSpec> ffn = ffn(c, k);
        int dense =
                ffn.contains(null)
                        ? c.integer("intermediate_size", 1, ConfigLimits.MAX_INTERMEDIATE)
                        : c.integer("intermediate_size", 0, 1, ConfigLimits.MAX_INTERMEDIATE);
        DecoderSpec spec =
                new DecoderSpec(
                        name,
                        k.vocab(),
                        k.hidden(),
                        attention,
                        ffn,
                        dense,
                        k.eps(),
                        k.eps(),
                        c.bool("tie_word_embeddings", false),
                        k.maxPositions());
        return windows == null ? spec : spec.withSlidingWindows(windows);
    }

    private AttentionSpec attention(ConfigFields c, HfConfigMapper.Common k)
            throws MalformedCheckpointException {
        int heads = c.integer("num_attention_heads", 1, ConfigLimits.MAX_HEADS);
        int kvHeads = c.integer("num_key_value_heads", heads, 1, heads);
        if (heads % kvHeads != 0) {
            throw c.error(
                    "num_key_value_heads",
                    "is " + kvHeads + ", which does not divide num_attention_heads " + heads);
        }
        int headDim;
        if (c.has("head_dim")) {
            headDim = c.integer("head_dim", 2, ConfigLimits.MAX_HIDDEN);
        } else if (k.hidden() % heads != 0) {
            throw c.error(
                    "num_attention_heads",
                    "is "
                            + heads
                            + ", which does not divide hidden_size "
                            + k.hidden()
                            + " (and there is no head_dim)");
        } else {
            headDim = k.hidden() / heads;
        }
        if (headDim % 2 != 0) {
            throw c.error("head_dim", "is " + headDim + ", but RoPE needs an even head dimension");
        }
        double theta = RopeConfigs.theta(c, defaultTheta());
        double linearFactor = linearFactor(c);
        int window = c.integer("sliding_window", 0, 1, ConfigLimits.MAX_POSITIONS);
        if (!slidingWindow()) {
            window = 0;
        }
        refuseAttentionOptions(c);
        AttentionSpec spec =
                new AttentionSpec(
                        k.hidden(),
                        heads,
                        kvHeads,
                        headDim,
                        qkvBias(c),
                        qkNorm(c),
                        theta,
                        linearFactor,
                        window,
                        k.eps(),
                        softmaxScale(c),
                        rotaryDim(c, headDim));
        return extras(spec, c);
    }

    /** The same MoE layer in every layer (Mixtral, OLMoE). */
    static List<MoeLayerSpec> everyLayer(MoeLayerSpec layer, int layers) {
        return java.util.Collections.nCopies(layers, layer);
    }
}
