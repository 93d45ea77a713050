package io.moezoo.blocks.spec;

/**
 * Two-layer MLP experts (Switch, GShard, V-MoE): y = W₂ act(W₁ x + b₁) + b₂.
 *
 * <p>JSON {@code "type": "mlp"}; defaults: {@code activation GELU, bias true}.
 *
 * @param numExperts E
 * @param hiddenSize H
 * @param intermediateSize I
 * @param activation the activation between the layers
 * @param bias whether the layers have biases
 */
public record MlpExpertSpec(
        int numExperts,
        int hiddenSize,
        int intermediateSize,
        ExpertActivation activation,
        boolean bias)
        implements ExpertSpec {

    /** The defaults of the optional fields, as JSON. */
    public static final String DEFAULTS = "{\"activation\":\"GELU\",\"bias\":true}";

    /**
     * Validates every field.
     *
     * @param numExperts E
     * @param hiddenSize H
     * @param intermediateSize I
     * @param activation the activation between the layers
     * @param bias whether the layers have biases
     */
    public MlpExpertSpec {
        ExpertSpec.checkShape("mlp", numExperts, hiddenSize, intermediateSize);
        if (activation == null) {
            throw new IllegalArgumentException("Invalid mlp expert spec: activation is required");
        }
    }

    /**
     * Returns a spec with GELU and biases.
     *
     * @param numExperts E
     * @param hiddenSize H
     * @param intermediateSize I
     * @return the spec
     */
    public static MlpExpertSpec of(int numExperts, int hiddenSize, int intermediateSize) {
        return new MlpExpertSpec(
                numExperts, hiddenSize, intermediateSize, ExpertActivation.GELU, true);
    }

    /**
     * Returns a copy with another activation.
     *
     * @param function the activation
     * @return the copy
     */
    public MlpExpertSpec withActivation(ExpertActivation function) {
        return new MlpExpertSpec(numExperts, hiddenSize, intermediateSize, function, bias);
    }

    /**
     * Returns a copy with or without biases.
     *
     * @param withBias whether the layers have biases
     * @return the copy
     */
    public MlpExpertSpec withBias(boolean withBias) {
        return new MlpExpertSpec(numExperts, hiddenSize, intermediateSize, activation, withBias);
    }
}
