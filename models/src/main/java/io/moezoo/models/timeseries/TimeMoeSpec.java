package io.moezoo.models.timeseries;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.blocks.spec.SpecCodec;
import io.moezoo.blocks.spec.SpecJsonException;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import java.util.Arrays;

/**
 * Describes a Time-MoE-style decoder-only forecaster, under the {@code TimeMoeConfig} names where
 * Time-MoE has them. It is the artifact's {@code model.json}.
 *
 * <p>Derived parts (as Time-MoE builds them): attention with q/k/v biases and RoPE; per layer an
 * MoE FFN with a softmax → top-k router that never renormalises ({@code norm_topk_prob} is
 * hard-coded False), {@code numExperts} SwiGLU experts of width {@code intermediateSize /
 * numExpertsPerTok} and a sigmoid-gated shared SwiGLU expert of width {@code intermediateSize}.
 *
 * @param inputSize values per time step (Time-MoE's {@code input_size}; only 1 is supported)
 * @param hiddenSize H
 * @param intermediateSize the shared expert's width; routed experts get {@code intermediateSize /
 *     numExpertsPerTok}
 * @param numHiddenLayers the decoder layers
 * @param numAttentionHeads the attention heads (key/value heads are the same)
 * @param numExperts E
 * @param numExpertsPerTok k
 * @param horizonLengths the forecast heads' lengths, strictly increasing (Time-MoE: 1, 8, 32, 64)
 * @param contextLength the training window and the most recent values the model sees
 * @param ropeTheta the RoPE base
 * @param rmsNormEps ε of the RMSNorms
 * @param routerAuxLossFactor the load-balancing loss coefficient (Time-MoE: 0.02)
 * @param huberDelta δ of the Huber loss (Time-MoE: 2.0)
 * @param lastValueSkip whether every head adds the input value of its position to its output, so
 *     that head h at position t forecasts \(x_t + f_h(x_{\le t})\): the network learns a correction
 *     of the naive forecast (not in Time-MoE; false reproduces it)
 */
public record TimeMoeSpec(
        int inputSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numExperts,
        int numExpertsPerTok,
        int[] horizonLengths,
        int contextLength,
        double ropeTheta,
        float rmsNormEps,
        float routerAuxLossFactor,
        float huberDelta,
        boolean lastValueSkip) {

    /**
     * Validates the spec.
     *
     * @param inputSize values per step
     * @param hiddenSize H
     * @param intermediateSize shared width
     * @param numHiddenLayers layers
     * @param numAttentionHeads heads
     * @param numExperts E
     * @param numExpertsPerTok k
     * @param horizonLengths head lengths
     * @param contextLength the window
     * @param ropeTheta RoPE base
     * @param rmsNormEps ε
     * @param routerAuxLossFactor aux coefficient
     * @param huberDelta δ
     * @param lastValueSkip whether heads add the input value of their position
     */
    public TimeMoeSpec {
        if (inputSize != 1) {
            throw new IllegalArgumentException(
                    "Invalid Time-MoE spec: only input_size 1 is supported, got " + inputSize);
        }
        if (hiddenSize <= 0
                || numHiddenLayers <= 0
                || numAttentionHeads <= 0
                || hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException(
                    "Invalid Time-MoE spec: need positive sizes and heads dividing hidden_size, got H="
                            + hiddenSize
                            + ", layers="
                            + numHiddenLayers
                            + ", heads="
                            + numAttentionHeads);
        }
        if (numExperts <= 0
                || numExpertsPerTok <= 0
                || numExpertsPerTok > numExperts
                || intermediateSize <= 0
                || intermediateSize % numExpertsPerTok != 0) {
            throw new IllegalArgumentException(
                    "Invalid Time-MoE spec: need 0 < k <= E and k dividing intermediate_size, got E="
                            + numExperts
                            + ", k="
                            + numExpertsPerTok
                            + ", I="
                            + intermediateSize);
        }
        if (horizonLengths == null || horizonLengths.length == 0) {
            throw new IllegalArgumentException("Invalid Time-MoE spec: no horizon_lengths");
        }
        for (int i = 0; i < horizonLengths.length; i++) {
            if (horizonLengths[i] <= 0 || (i > 0 && horizonLengths[i] <= horizonLengths[i - 1])) {
                throw new IllegalArgumentException(
                        "Invalid Time-MoE spec: horizon_lengths must be positive and increasing, got "
                                + Arrays.toString(horizonLengths));
            }
        }
        if (contextLength < 2
                || !(ropeTheta > 0)
                || !(rmsNormEps > 0)
                || !(routerAuxLossFactor >= 0)
                || !(huberDelta > 0)) {
            throw new IllegalArgumentException(
                    "Invalid Time-MoE spec: need context_length >= 2, rope_theta > 0, eps > 0,"
                            + " aux factor >= 0 and huber delta > 0");
        }
        horizonLengths = horizonLengths.clone();
    }

    /**
     * Returns a copy of the head lengths.
     *
     * @return the head lengths
     */
    @Override
    public int[] horizonLengths() {
        return horizonLengths.clone();
    }

    /**
     * Returns the longest head.
     *
     * @return the largest horizon length
     */
    public int maxHorizon() {
        return horizonLengths[horizonLengths.length - 1];
    }

    /**
     * The attention of every layer: q/k/v biases, no q/k norm, RoPE, full causal window.
     *
     * @return the attention spec
     */
    public AttentionSpec attention() {
        return new AttentionSpec(
                hiddenSize,
                numAttentionHeads,
                numAttentionHeads,
                hiddenSize / numAttentionHeads,
                true,
                AttentionSpec.QkNorm.NONE,
                ropeTheta,
                1.0,
                0,
                rmsNormEps);
    }

    /**
     * The MoE FFN of every layer.
     *
     * @return the layer spec
     */
    public MoeLayerSpec ffn() {
        return MoeLayerSpec.of(
                        RouterPresets.qwenMoe(numExperts, numExpertsPerTok, false),
                        new SwiGluExpertSpec(
                                numExperts, hiddenSize, intermediateSize / numExpertsPerTok))
                .withSharedExpert(new SharedExpertSpec(intermediateSize, true));
    }

    /**
     * The defaults of the fields {@code model.json} may leave out: one input value per step, the
     * RoPE base 10000, ε 1e-6, the aux-loss factor 0.02 and Huber δ 2.0 (Time-MoE's own), no
     * last-value skip.
     */
    public static final String DEFAULTS =
            "{\"inputSize\":1,\"ropeTheta\":10000.0,\"rmsNormEps\":1.0E-6,"
                    + "\"routerAuxLossFactor\":0.02,\"huberDelta\":2.0,\"lastValueSkip\":false}";

    /**
     * Returns the JSON form ({@code model.json}), written by the spec codec.
     *
     * @return JSON text
     */
    public String toJson() {
        return SpecCodec.pretty(SpecCodec.writeRecord(this));
    }

    /**
     * Parses and validates a spec; fields left out take {@link #DEFAULTS}.
     *
     * @param json the JSON text
     * @return the spec
     * @throws IllegalArgumentException naming the field that is missing, unknown or invalid
     */
    public static TimeMoeSpec fromJson(String json) {
        JsonElement tree;
        try {
            tree = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new SpecJsonException("Malformed Time-MoE spec JSON: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isJsonObject()) {
            throw new SpecJsonException("Time-MoE spec JSON must be an object, got " + tree);
        }
        return SpecCodec.readRecord(
                TimeMoeSpec.class,
                tree.getAsJsonObject(),
                JsonParser.parseString(DEFAULTS).getAsJsonObject(),
                "Time-MoE spec");
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof TimeMoeSpec s && toJson().equals(s.toJson());
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return toJson();
    }
}
