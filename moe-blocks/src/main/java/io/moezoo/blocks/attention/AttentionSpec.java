package io.moezoo.blocks.attention;

/**
 * Describes a grouped-query causal self-attention layer.
 *
 * @param hiddenSize H
 * @param numHeads query heads
 * @param numKvHeads key/value heads (divides numHeads)
 * @param headDim the head dimension
 * @param qkvBias whether q, k and v projections have biases (Qwen2)
 * @param qkNorm how queries and keys are RMS-normalised before RoPE
 * @param ropeTheta {@code rope_theta}
 * @param ropeLinearFactor linear RoPE scaling factor, 1 for none
 * @param slidingWindow the attention window in positions, 0 for none
 * @param rmsNormEps ε of the q/k norms
 * @param softmaxScale the factor on q·kᵀ before the softmax; 0 for the usual 1/√headDim (GraniteMoE
 *     sets it as {@code attention_multiplier})
 * @param rotaryDim the rotated values per head, 0 for all ({@code partial_rotary_factor})
 * @param oBias whether the output projection has a bias (gpt-oss)
 * @param sinks whether each query head has a learned sink logit that joins the softmax denominator
 *     and carries no value (gpt-oss {@code self_attn.sinks})
 * @param yarn YaRN rotary scaling, or null for standard RoPE (with {@code ropeLinearFactor})
 */
public record AttentionSpec(
        int hiddenSize,
        int numHeads,
        int numKvHeads,
        int headDim,
        boolean qkvBias,
        QkNorm qkNorm,
        double ropeTheta,
        double ropeLinearFactor,
        int slidingWindow,
        float rmsNormEps,
        double softmaxScale,
        int rotaryDim,
        boolean oBias,
        boolean sinks,
        YarnScaling yarn)
        implements AttentionLayerSpec {

    /**
     * Creates a spec without an output bias, sinks or YaRN.
     *
     * @param hiddenSize H
     * @param numHeads query heads
     * @param numKvHeads key/value heads
     * @param headDim the head dimension
     * @param qkvBias q/k/v biases
     * @param qkNorm the q/k norm
     * @param ropeTheta the RoPE base
     * @param ropeLinearFactor the linear RoPE factor
     * @param slidingWindow the window, 0 for none
     * @param rmsNormEps the norm ε
     * @param softmaxScale the score scale, 0 for 1/√headDim
     * @param rotaryDim the rotated values per head, 0 for all
     */
    public AttentionSpec(
            int hiddenSize,
            int numHeads,
            int numKvHeads,
            int headDim,
            boolean qkvBias,
            QkNorm qkNorm,
            double ropeTheta,
            double ropeLinearFactor,
            int slidingWindow,
            float rmsNormEps,
            double softmaxScale,
            int rotaryDim) {
        this(
                hiddenSize,
                numHeads,
                numKvHeads,
                headDim,
                qkvBias,
                qkNorm,
                ropeTheta,
                ropeLinearFactor,
                slidingWindow,
                rmsNormEps,
                softmaxScale,
                rotaryDim,
                false,
                false,
                null);
    }

    /**
     * Creates a spec with the usual 1/√headDim score scale.
     *
     * @param hiddenSize H
     * @param numHeads query heads
     * @param numKvHeads key/value heads
     * @param headDim the head dimension
     * @param qkvBias q/k/v biases
     * @param qkNorm the q/k norm
     * @param ropeTheta the RoPE base
     * @param ropeLinearFactor the linear RoPE factor
     * @param slidingWindow the window, 0 for none
     * @param rmsNormEps the norm ε
     */
    public AttentionSpec(
            int hiddenSize,
            int numHeads,
            int numKvHeads,
            int headDim,
            boolean qkvBias,
            QkNorm qkNorm,
            double ropeTheta,
            double ropeLinearFactor,
            int slidingWindow,
            float rmsNormEps) {
        this(
                hiddenSize,
                numHeads,
                numKvHeads,
                headDim,
                qkvBias,
                qkNorm,
                ropeTheta,
                ropeLinearFactor,
                slidingWindow,
                rmsNormEps,
                0.0,
                0);
    }

    /**
     * Returns a copy with another sliding window (per-layer windows of gpt-oss-style decoders).
     *
     * @param window the window in positions, 0 for full attention
     * @return the copy
     */
    public AttentionSpec withSlidingWindow(int window) {
        return new AttentionSpec(
                hiddenSize,
                numHeads,
                numKvHeads,
                headDim,
                qkvBias,
                qkNorm,
                ropeTheta,
                ropeLinearFactor,
                window,
                rmsNormEps,
                softmaxScale,
                rotaryDim,
                oBias,
                sinks,
                yarn);
    }

    /**
     * Returns a copy with the gpt-oss extras: an output-projection bias, attention sinks and YaRN
     * scaling.
     *
     * @param outputBias whether o_proj has a bias
     * @param withSinks whether each head has a sink logit
     * @param scaling the YaRN scaling, or null for none
     * @return the copy
     */
    public AttentionSpec withGptOssExtras(
            boolean outputBias, boolean withSinks, YarnScaling scaling) {
        return new AttentionSpec(
                hiddenSize,
                numHeads,
                numKvHeads,
                headDim,
                qkvBias,
                qkNorm,
                ropeTheta,
                ropeLinearFactor,
                slidingWindow,
                rmsNormEps,
                softmaxScale,
                rotaryDim,
                outputBias,
                withSinks,
                scaling);
    }

    /**
     * Builds the rotary embedding of this layer: YaRN when {@code yarn} is set, else standard RoPE
     * with the linear factor, over {@link #ropeDim()} of each head.
     *
     * @return the embedding
     */
    public RotaryEmbedding rope() {
        RotaryEmbedding base =
                yarn != null
                        ? yarn.rope(ropeDim(), ropeTheta)
                        : RotaryEmbedding.standard(ropeDim(), ropeTheta, ropeLinearFactor);
        return base.withHeadDim(headDim);
    }

    /**
     * Returns how many values of each head RoPE rotates: {@code rotaryDim}, or the head dimension
     * when it is 0.
     *
     * @return the rotary dimension
     */
    public int ropeDim() {
        return rotaryDim == 0 ? headDim : rotaryDim;
    }

    /**
     * Returns the factor on q·kᵀ: {@code softmaxScale}, or 1/√headDim when it is 0.
     *
     * @return the score scale
     */
    public double scale() {
        return softmaxScale == 0 ? 1 / Math.sqrt(headDim) : softmaxScale;
    }

    /** {@inheritDoc} */
    @Override
    public AttentionBlock create() {
        return new CausalSelfAttention(this);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Multi-head when every query head has its own key/value head, multi-query with one
     * key/value head, grouped-query otherwise.
     */
    @Override
    public String kind() {
        if (numKvHeads == numHeads) {
            return "multi-head attention";
        }
        return numKvHeads == 1 ? "multi-query attention" : "grouped-query attention";
    }

    /** Where queries and keys are RMS-normalised. */
    public enum QkNorm {
        /** No q/k norm. */
        NONE,
        /** Over the whole projected q and k, before splitting heads (OLMoE). */
        FULL,
        /** Over each head's dimension (Qwen3). */
        PER_HEAD
    }

    /**
     * Validates the spec.
     *
     * @param hiddenSize H
     * @param numHeads query heads
     * @param numKvHeads key/value heads
     * @param headDim the head dimension
     * @param qkvBias q/k/v biases
     * @param qkNorm the q/k norm
     * @param ropeTheta the RoPE base
     * @param ropeLinearFactor the linear RoPE factor
     * @param slidingWindow the window, 0 for none
     * @param rmsNormEps the norm ε
     * @param softmaxScale the score scale, 0 for 1/√headDim
     * @param rotaryDim the rotated values per head, 0 for all
     * @param oBias an output-projection bias
     * @param sinks per-head sink logits
     * @param yarn YaRN scaling or null
     */
    public AttentionSpec {
        if (yarn != null && ropeLinearFactor != 1.0) {
            throw new IllegalArgumentException(
                    "Invalid attention spec: YaRN scaling and a linear RoPE factor ("
                            + ropeLinearFactor
                            + ") exclude each other");
        }
        if (rotaryDim < 0 || rotaryDim > headDim || rotaryDim % 2 != 0) {
            throw new IllegalArgumentException(
                    "Invalid attention spec: rotaryDim must be even and in [0, headDim], got "
                            + rotaryDim);
        }
        if (hiddenSize <= 0
                || numHeads <= 0
                || numKvHeads <= 0
                || headDim <= 0
                || numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException(
                    "Invalid attention spec: need positive sizes and numKvHeads dividing numHeads, got H="
                            + hiddenSize
                            + ", heads="
                            + numHeads
                            + ", kv heads="
                            + numKvHeads
                            + ", head dim="
                            + headDim);
        }
        if (!(softmaxScale >= 0) || Double.isInfinite(softmaxScale)) {
            throw new IllegalArgumentException(
                    "Invalid attention spec: softmaxScale must be finite and >= 0, got "
                            + softmaxScale);
        }
        if (slidingWindow < 0 || qkNorm == null) {
            throw new IllegalArgumentException(
                    "Invalid attention spec: slidingWindow >= 0 and a qkNorm are required");
        }
    }
}
