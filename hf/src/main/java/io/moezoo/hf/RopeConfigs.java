package io.moezoo.hf;

import io.moezoo.blocks.attention.RotaryEmbedding;
import io.moezoo.blocks.attention.YarnScaling;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.StrictJson;
import java.util.List;

/**
 * Reads the rotary-embedding fields of a {@code config.json}: {@code rope_theta} and {@code
 * rope_scaling} (transformers v4), or {@code rope_parameters} (v5, theta inside). A scaling type
 * the model does not implement is refused with the accepted types, never ignored.
 */
final class RopeConfigs {

    /** The scaling types of grouped-query attention. */
    static final List<String> GQA_TYPES = List.of("default", "linear");

    /** The scaling types of gpt-oss's attention. */
    static final List<String> YARN_TYPES = List.of("default", "yarn");

    /** The scaling types of DeepSeek's latent attention. */
    static final List<String> MLA_TYPES = List.of("default", "yarn");

    private RopeConfigs() {}

    /** The RoPE of DeepSeek attention and its softmax scale. */
    record MlaRope(RotaryEmbedding rope, double softmaxScale) {}

    /** {@code rope_theta} (or {@code rope_parameters.rope_theta}), in (1, 1e12]. */
    static double theta(ConfigFields c, double fallback) throws MalformedCheckpointException {
        double top = c.positive("rope_theta", fallback, 1, ConfigLimits.MAX_ROPE_THETA);
        ConfigFields params = c.object("rope_parameters");
        if (params == null || !params.has("rope_theta")) {
            return top;
        }
        double inner = params.positive("rope_theta", fallback, 1, ConfigLimits.MAX_ROPE_THETA);
        if (c.has("rope_theta") && inner != top) {
            throw c.error(
                    "field 'rope_theta' ("
                            + top
                            + ") disagrees with 'rope_parameters.rope_theta' ("
                            + inner
                            + ")");
        }
        return inner;
    }

    /** {@code rope_scaling} or {@code rope_parameters}, null when there is neither. */
    private static ConfigFields scaling(ConfigFields c) throws MalformedCheckpointException {
        ConfigFields scaling = c.object("rope_scaling");
        ConfigFields params = c.object("rope_parameters");
        if (scaling != null && params != null) {
            throw c.error("has both 'rope_scaling' and 'rope_parameters'; expected one of them");
        }
        return scaling != null ? scaling : params;
    }

    private static String type(ConfigFields s, String modelType, List<String> accepted)
            throws MalformedCheckpointException {
        String a = s.has("rope_type") ? s.string("rope_type") : null;
        String b = s.has("type") ? s.string("type") : null;
        if (a != null && b != null && !a.equals(b)) {
            throw s.error(
                    "type",
                    StrictJson.quote(b) + " disagrees with rope_type " + StrictJson.quote(a));
        }
        String name = a != null ? a : b;
        if (name == null) {
            throw s.error("rope_type", "is missing; accepted: " + String.join(", ", accepted));
        }
        if (!accepted.contains(name)) {
            throw s.error(
                    a != null ? "rope_type" : "type",
                    "is "
                            + StrictJson.quote(name)
                            + ", which is not supported for "
                            + modelType
                            + "; accepted: "
                            + String.join(", ", accepted));
        }
        return name;
    }

    /** The linear position-interpolation factor of GQA models: 1 without scaling. */
    static double linearFactor(ConfigFields c, String modelType)
            throws MalformedCheckpointException {
        ConfigFields s = scaling(c);
        if (s == null || type(s, modelType, GQA_TYPES).equals("default")) {
            return 1.0;
        }
        if (!s.has("factor")) {
            throw s.error("factor", "is missing (linear scaling needs it)");
        }
        return s.positive("factor", 1, 0, ConfigLimits.MAX_FACTOR);
    }

    /**
     * YaRN scaling of grouped-query attention (gpt-oss), or null without scaling: {@code factor}
     * (required), {@code original_max_position_embeddings} (else {@code max_position_embeddings}),
     * {@code beta_fast} 32, {@code beta_slow} 1, {@code truncate} true (transformers' default;
     * gpt-oss sets false) and an optional {@code attention_factor} (else {@code 0.1·ln(factor) +
     * 1}). DeepSeek's {@code mscale} pair is refused here: no GQA model uses it.
     */
    static YarnScaling yarn(ConfigFields c, String modelType, int maxPositions)
            throws MalformedCheckpointException {
        ConfigFields s = scaling(c);
        if (s == null || type(s, modelType, YARN_TYPES).equals("default")) {
            return null;
        }
        if (!s.has("factor")) {
            throw s.error("factor", "is missing (yarn scaling needs it)");
        }
        for (String refused : List.of("mscale", "mscale_all_dim")) {
            if (s.has(refused)) {
                throw s.error(refused, "is not supported for " + modelType);
            }
        }
        return new YarnScaling(
                s.positive("factor", 1, 0, ConfigLimits.MAX_FACTOR),
                s.integer(
                        "original_max_position_embeddings",
                        maxPositions,
                        1,
                        ConfigLimits.MAX_POSITIONS),
                s.positive("beta_fast", 32, 0, ConfigLimits.MAX_FACTOR),
                s.positive("beta_slow", 1, 0, ConfigLimits.MAX_FACTOR),
                s.bool("truncate", true),
                s.has("attention_factor")
                        ? s.positive("attention_factor", 1, 0, ConfigLimits.MAX_FACTOR)
                        : 0);
    }

    /**
     * DeepSeek's RoPE over {@code qk_rope_head_dim}: standard, or YaRN with its softmax-scale
     * correction.
     */
    static MlaRope deepSeek(
            ConfigFields c,
            String modelType,
            int ropeDim,
            int qkHeadDim,
            double theta,
            boolean interleave,
            int maxPositions)
            throws MalformedCheckpointException {
        double scale = Math.pow(qkHeadDim, -0.5);
        ConfigFields s = scaling(c);
        if (s == null || type(s, modelType, MLA_TYPES).equals("default")) {
            return new MlaRope(
                    RotaryEmbedding.standard(ropeDim, theta, 1.0).withInterleaved(interleave),
                    scale);
        }
        if (!s.has("factor")) {
            throw s.error("factor", "is missing (yarn scaling needs it)");
        }
        double factor = s.number("factor", 1, ConfigLimits.MAX_FACTOR);
        double mscale = s.number("mscale", 0, 0, ConfigLimits.MAX_FACTOR);
        double mscaleAllDim = s.number("mscale_all_dim", 0, 0, ConfigLimits.MAX_FACTOR);
        int original =
                s.integer(
                        "original_max_position_embeddings",
                        maxPositions,
                        1,
                        ConfigLimits.MAX_POSITIONS);
        RotaryEmbedding rope =
                RotaryEmbedding.yarn(
                        ropeDim,
                        theta,
                        factor,
                        original,
                        s.positive("beta_fast", 32, 0, ConfigLimits.MAX_FACTOR),
                        s.positive("beta_slow", 1, 0, ConfigLimits.MAX_FACTOR),
                        mscale == 0 ? 1 : mscale,
                        mscale == 0 ? 0 : mscaleAllDim,
                        interleave);
        if (mscaleAllDim != 0) {
            double m = RotaryEmbedding.yarnMscale(factor, mscaleAllDim);
            scale *= m * m;
        }
        return new MlaRope(rope, scale);
    }
}
