package io.moezoo.blocks.attention;

import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;

/**
 * Describes JetMoE's mixture of attention heads (MoA).
 *
 * @param hiddenSize H
 * @param numExperts E, the attention experts
 * @param topK k, experts per token
 * @param numKvHeads n, the shared key/value heads (each expert produces n query heads)
 * @param headDim d ({@code kv_channels})
 * @param ropeTheta {@code rope_theta}
 */
public record MoaSpec(
        int hiddenSize, int numExperts, int topK, int numKvHeads, int headDim, double ropeTheta)
        implements AttentionLayerSpec {

    /**
     * Validates the spec.
     *
     * @param hiddenSize H
     * @param numExperts E
     * @param topK k
     * @param numKvHeads n
     * @param headDim d
     * @param ropeTheta the RoPE base
     */
    public MoaSpec {
        if (hiddenSize <= 0
                || numExperts <= 0
                || topK <= 0
                || topK > numExperts
                || numKvHeads <= 0
                || headDim <= 0) {
            throw new IllegalArgumentException(
                    "Invalid MoA spec: positive sizes and k <= E required, got E="
                            + numExperts
                            + ", k="
                            + topK);
        }
    }

    /**
     * Returns the router: top-k logits, softmax over the k (JetMoE gating).
     *
     * @return the router spec
     */
    public RouterSpec router() {
        return TopKSoftmaxSpec.of(numExperts, topK);
    }

    /**
     * Returns n·d, the projection size of one expert.
     *
     * @return the projection size
     */
    public int projectionSize() {
        return numKvHeads * headDim;
    }

    /** {@inheritDoc} */
    @Override
    public AttentionBlock create() {
        return new MixtureOfAttentionHeads(this);
    }

    /** {@inheritDoc} */
    @Override
    public String kind() {
        return "mixture of attention heads (MoA)";
    }
}
