package io.moezoo.blocks.spec;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

/**
 * One immutable description of a router: which algorithm, how many experts, how many are chosen and
 * every option of the reference implementations, under the names those implementations use where
 * they have one.
 *
 * <p>Build with {@link #builder(RouterType)}; {@link Builder#build()} validates every field and
 * names the first field that is wrong. {@link #toJson()} and {@link #fromJson(String)} give the
 * data form used by the model zoo's metadata.
 */
public final class RouterSpec {

    private final RouterType type;
    private final int numExperts;
    private final int topK;
    private final boolean normalizeTopK;
    private final float scalingFactor;
    private final float jitter;
    private final float noiseStd;
    private final float capacityFactor;
    private final int capacity;
    private final int capacityMultiple;
    private final int groupSize;
    private final boolean batchPrioritized;
    private final float topP;
    private final int minExperts;
    private final int maxExperts;
    private final int nullExperts;
    private final ScoringFunction scoring;
    private final int numGroups;
    private final int topKGroups;
    private final GroupScore groupScore;
    private final boolean correctionBias;
    private final float biasUpdateRate;

    /** DeepSeek-V3's bias update speed γ of the auxiliary-loss-free balancing. */
    public static final float DEEPSEEK_V3_BIAS_UPDATE_RATE = 0.001f;

    private RouterSpec(Builder b) {
        type = b.type;
        numExperts = b.numExperts;
        topK = b.topK;
        normalizeTopK = b.normalizeTopK;
        scalingFactor = b.scalingFactor;
        jitter = b.jitter;
        noiseStd = b.noiseStd;
        capacityFactor = b.capacityFactor;
        capacity = b.capacity;
        capacityMultiple = b.capacityMultiple;
        groupSize = b.groupSize;
        batchPrioritized = b.batchPrioritized;
        topP = b.topP;
        minExperts = b.minExperts;
        maxExperts = b.maxExperts == 0 ? b.numExperts : b.maxExperts;
        nullExperts = b.nullExperts;
        scoring = b.scoring;
        numGroups = b.numGroups;
        topKGroups = b.topKGroups;
        groupScore = b.groupScore;
        correctionBias = b.correctionBias;
        biasUpdateRate = b.biasUpdateRate;
    }

    /**
     * Returns a builder for a router of the given type.
     *
     * @param type the routing algorithm
     * @return a new builder
     */
    public static Builder builder(RouterType type) {
        return new Builder(type);
    }

    /**
     * Mixtral: softmax over all experts, top-k, always renormalised.
     *
     * @param numExperts the number of experts E
     * @param topK the number of experts per token k
     * @return the spec
     */
    public static RouterSpec mixtral(int numExperts, int topK) {
        return builder(RouterType.SOFTMAX_TOP_K)
                .setNumExperts(numExperts)
                .setTopK(topK)
                .optNormalizeTopK(true)
                .build();
    }

    /**
     * Qwen2-MoE, Qwen3-MoE and OLMoE: softmax, top-k, renormalised iff {@code norm_topk_prob}.
     *
     * @param numExperts the number of experts E
     * @param topK the number of experts per token k
     * @param normTopKProb the {@code norm_topk_prob} config value
     * @return the spec
     */
    public static RouterSpec qwenMoe(int numExperts, int topK, boolean normTopKProb) {
        return builder(RouterType.SOFTMAX_TOP_K)
                .setNumExperts(numExperts)
                .setTopK(topK)
                .optNormalizeTopK(normTopKProb)
                .build();
    }

    /**
     * DeepSeek-V3 ({@code noaux_tc}): sigmoid scores, selection-only correction bias, groups scored
     * by the sum of their top-2, renormalised and scaled by the routed scaling factor; the bias
     * moves by {@value #DEEPSEEK_V3_BIAS_UPDATE_RATE} per step (the paper's bias update speed γ),
     * so the layer trains with {@code AuxFreeBiasUpdate} as it is.
     *
     * @param numExperts {@code n_routed_experts}
     * @param topK {@code num_experts_per_tok}
     * @param numGroups {@code n_group}
     * @param topKGroups {@code topk_group}
     * @param routedScalingFactor {@code routed_scaling_factor}
     * @return the spec
     */
    public static RouterSpec deepSeekV3(
            int numExperts, int topK, int numGroups, int topKGroups, float routedScalingFactor) {
        return builder(RouterType.GROUP_LIMITED)
                .setNumExperts(numExperts)
                .setTopK(topK)
                .optScoring(ScoringFunction.SIGMOID)
                .optGroups(numGroups, topKGroups, GroupScore.TOP2_SUM)
                .optCorrectionBias(true)
                .optNormalizeTopK(true)
                .optScalingFactor(routedScalingFactor)
                .optBiasUpdateRate(DEEPSEEK_V3_BIAS_UPDATE_RATE)
                .build();
    }

    /**
     * DeepSeek-V2 ({@code group_limited_greedy}): softmax scores, groups scored by their best
     * expert. DeepSeek-V2 applies {@code routed_scaling_factor} only when it does not renormalise,
     * so this factory passes the factor only on that branch.
     *
     * @param numExperts {@code n_routed_experts}
     * @param topK {@code num_experts_per_tok}
     * @param numGroups {@code n_group}
     * @param topKGroups {@code topk_group}
     * @param normTopKProb {@code norm_topk_prob}
     * @param routedScalingFactor {@code routed_scaling_factor}
     * @return the spec
     */
    public static RouterSpec deepSeekV2(
            int numExperts,
            int topK,
            int numGroups,
            int topKGroups,
            boolean normTopKProb,
            float routedScalingFactor) {
        boolean normalize = topK > 1 && normTopKProb;
        return builder(RouterType.GROUP_LIMITED)
                .setNumExperts(numExperts)
                .setTopK(topK)
                .optGroups(numGroups, topKGroups, GroupScore.MAX)
                .optNormalizeTopK(normalize)
                .optScalingFactor(normalize ? 1f : routedScalingFactor)
                .build();
    }

    /**
     * Returns a builder initialised with this spec's fields, to derive a variant.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        return new Gson().fromJson(toJson(), Builder.class);
    }

    /**
     * Parses a spec from its JSON form and validates it.
     *
     * @param json the JSON text written by {@link #toJson()}
     * @return the spec
     * @throws IllegalArgumentException if the JSON is malformed or describes an invalid router
     */
    public static RouterSpec fromJson(String json) {
        Builder b;
        try {
            b = new Gson().fromJson(json, Builder.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("Malformed router spec JSON: " + e.getMessage(), e);
        }
        if (b == null || b.type == null) {
            throw new IllegalArgumentException("Router spec JSON has no \"type\"");
        }
        return b.build();
    }

    /**
     * Returns the JSON form of this spec.
     *
     * @return JSON text
     */
    public String toJson() {
        return new GsonBuilder().create().toJson(this);
    }

    /**
     * Returns the routing algorithm.
     *
     * @return the type
     */
    public RouterType getType() {
        return type;
    }

    /**
     * Returns the number of real (computing) experts E.
     *
     * @return E
     */
    public int getNumExperts() {
        return numExperts;
    }

    /**
     * Returns the number of experts chosen per token k (for expert choice: the average number of
     * experts per token, which sets each expert's capacity).
     *
     * @return k
     */
    public int getTopK() {
        return topK;
    }

    /**
     * Returns whether the selected weights are divided by their sum ({@code norm_topk_prob}).
     *
     * @return true to renormalise
     */
    public boolean isNormalizeTopK() {
        return normalizeTopK;
    }

    /**
     * Returns the factor multiplying the combine weights ({@code routed_scaling_factor}).
     *
     * @return the scaling factor
     */
    public float getScalingFactor() {
        return scalingFactor;
    }

    /**
     * Returns the multiplicative jitter ε: in training the router input (only) is multiplied by
     * {@code U(1-ε, 1+ε)}.
     *
     * @return ε, 0 for none
     */
    public float getJitter() {
        return jitter;
    }

    /**
     * Returns the V-MoE noise scale: in training the logits get {@code N(0, (noiseStd/E)^2)}.
     *
     * @return the noise std before division by E, 0 for none
     */
    public float getNoiseStd() {
        return noiseStd;
    }

    /**
     * Returns the capacity factor, or a negative number when the capacity is absolute or unset.
     *
     * @return the capacity factor
     */
    public float getCapacityFactor() {
        return capacityFactor;
    }

    /**
     * Returns the absolute capacity per expert and group, or a negative number when unset.
     *
     * @return the capacity in tokens
     */
    public int getCapacity() {
        return capacity;
    }

    /**
     * Returns the multiple the capacity is rounded up to (V-MoE uses 4).
     *
     * @return the rounding multiple, 1 for none
     */
    public int getCapacityMultiple() {
        return capacityMultiple;
    }

    /**
     * Returns the routing group size in tokens; 0 means one group per sequence (batch row).
     *
     * @return the group size
     */
    public int getGroupSize() {
        return groupSize;
    }

    /**
     * Returns whether buffer slots go to the most confident tokens first (V-MoE BPR).
     *
     * @return true for batch-prioritized routing
     */
    public boolean isBatchPrioritized() {
        return batchPrioritized;
    }

    /**
     * Returns the cumulative probability threshold p of top-p routing.
     *
     * @return p
     */
    public float getTopP() {
        return topP;
    }

    /**
     * Returns the minimum number of experts of top-p routing.
     *
     * @return the minimum
     */
    public int getMinExperts() {
        return minExperts;
    }

    /**
     * Returns the maximum number of experts of top-p routing (E by default).
     *
     * @return the maximum
     */
    public int getMaxExperts() {
        return maxExperts;
    }

    /**
     * Returns the number of null experts (AdaMoE): zero-cost experts added to the choice set.
     *
     * @return the number of null experts
     */
    public int getNullExperts() {
        return nullExperts;
    }

    /**
     * Returns the total number of router outputs, E plus the null experts.
     *
     * @return the number of router logits per token
     */
    public int getNumChoices() {
        return numExperts + nullExperts;
    }

    /**
     * Returns the scoring function of the group-limited router.
     *
     * @return the scoring function
     */
    public ScoringFunction getScoring() {
        return scoring;
    }

    /**
     * Returns the number of expert groups ({@code n_group}).
     *
     * @return the number of groups
     */
    public int getNumGroups() {
        return numGroups;
    }

    /**
     * Returns the number of groups kept per token ({@code topk_group}).
     *
     * @return the number of kept groups
     */
    public int getTopKGroups() {
        return topKGroups;
    }

    /**
     * Returns how a group of experts is scored.
     *
     * @return the group score
     */
    public GroupScore getGroupScore() {
        return groupScore;
    }

    /**
     * Returns whether the router has a selection-only correction bias ({@code
     * e_score_correction_bias}).
     *
     * @return true if it has one
     */
    public boolean hasCorrectionBias() {
        return correctionBias;
    }

    /**
     * Returns γ of the auxiliary-loss-free bias update {@code b_e += γ·sign(mean_load - load_e)}.
     *
     * @return γ, 0 for none
     */
    public float getBiasUpdateRate() {
        return biasUpdateRate;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return toJson();
    }

    /** Builds a {@link RouterSpec}: {@code set*} fields are required, {@code opt*} optional. */
    public static final class Builder {
        private RouterType type;
        private int numExperts;
        private int topK;
        private boolean normalizeTopK;
        private float scalingFactor = 1f;
        private float jitter;
        private float noiseStd;
        private float capacityFactor = -1f;
        private int capacity = -1;
        private int capacityMultiple = 1;
        private int groupSize;
        private boolean batchPrioritized;
        private float topP = -1f;
        private int minExperts = 1;
        private int maxExperts;
        private int nullExperts;
        private ScoringFunction scoring = ScoringFunction.SOFTMAX;
        private int numGroups = 1;
        private int topKGroups = 1;
        private GroupScore groupScore = GroupScore.MAX;
        private boolean correctionBias;
        private float biasUpdateRate;
        private transient boolean capacityFactorSet;
        private transient boolean capacitySet;

        Builder(RouterType type) {
            this.type = type;
        }

        /**
         * Sets the number of experts E.
         *
         * @param numExperts E
         * @return this builder
         */
        public Builder setNumExperts(int numExperts) {
            this.numExperts = numExperts;
            return this;
        }

        /**
         * Sets the number of experts per token k.
         *
         * @param topK k
         * @return this builder
         */
        public Builder setTopK(int topK) {
            this.topK = topK;
            return this;
        }

        /**
         * Sets whether the k selected weights are renormalised to sum to one.
         *
         * @param normalize true to renormalise
         * @return this builder
         */
        public Builder optNormalizeTopK(boolean normalize) {
            this.normalizeTopK = normalize;
            return this;
        }

        /**
         * Sets the routed scaling factor applied to the combine weights.
         *
         * @param factor the factor
         * @return this builder
         */
        public Builder optScalingFactor(float factor) {
            this.scalingFactor = factor;
            return this;
        }

        /**
         * Sets the multiplicative router-input jitter ε (training only).
         *
         * @param epsilon ε in [0, 1)
         * @return this builder
         */
        public Builder optJitter(float epsilon) {
            this.jitter = epsilon;
            return this;
        }

        /**
         * Sets the V-MoE logit noise std (divided by E; training only).
         *
         * @param std the noise std
         * @return this builder
         */
        public Builder optNoiseStd(float std) {
            this.noiseStd = std;
            return this;
        }

        /**
         * Sets the capacity factor: capacity = ceil(k·groupTokens·factor / E).
         *
         * @param factor the factor, &gt; 0
         * @return this builder
         */
        public Builder optCapacityFactor(float factor) {
            this.capacityFactor = factor;
            this.capacityFactorSet = true;
            return this;
        }

        /**
         * Sets an absolute capacity per expert and group (Switch {@code expert_capacity}).
         *
         * @param tokens the capacity, &gt; 0
         * @return this builder
         */
        public Builder optCapacity(int tokens) {
            this.capacity = tokens;
            this.capacitySet = true;
            return this;
        }

        /**
         * Sets the multiple the capacity is rounded up to.
         *
         * @param multiple the multiple, &gt;= 1
         * @return this builder
         */
        public Builder optCapacityMultiple(int multiple) {
            this.capacityMultiple = multiple;
            return this;
        }

        /**
         * Sets the routing group size in tokens (0: one group per sequence).
         *
         * @param tokens the group size
         * @return this builder
         */
        public Builder optGroupSize(int tokens) {
            this.groupSize = tokens;
            return this;
        }

        /**
         * Sets batch-prioritized routing.
         *
         * @param prioritized true to give slots to the most confident tokens first
         * @return this builder
         */
        public Builder optBatchPrioritized(boolean prioritized) {
            this.batchPrioritized = prioritized;
            return this;
        }

        /**
         * Sets top-p routing's threshold and expert-count bounds.
         *
         * @param p the cumulative probability threshold in (0, 1]
         * @param min the minimum number of experts
         * @param max the maximum number of experts
         * @return this builder
         */
        public Builder optTopP(float p, int min, int max) {
            this.topP = p;
            this.minExperts = min;
            this.maxExperts = max;
            return this;
        }

        /**
         * Adds AdaMoE null experts to the choice set.
         *
         * @param count the number of null experts
         * @return this builder
         */
        public Builder optNullExperts(int count) {
            this.nullExperts = count;
            return this;
        }

        /**
         * Sets the scoring function (group-limited router).
         *
         * @param scoring softmax or sigmoid
         * @return this builder
         */
        public Builder optScoring(ScoringFunction scoring) {
            this.scoring = scoring;
            return this;
        }

        /**
         * Sets group-limited selection.
         *
         * @param groups {@code n_group}
         * @param keptGroups {@code topk_group}
         * @param score how a group is scored
         * @return this builder
         */
        public Builder optGroups(int groups, int keptGroups, GroupScore score) {
            this.numGroups = groups;
            this.topKGroups = keptGroups;
            this.groupScore = score;
            return this;
        }

        /**
         * Adds the selection-only correction bias.
         *
         * @param bias true to add it
         * @return this builder
         */
        public Builder optCorrectionBias(boolean bias) {
            this.correctionBias = bias;
            return this;
        }

        /**
         * Sets γ of the auxiliary-loss-free bias update (needs the correction bias).
         *
         * @param gamma the update rate
         * @return this builder
         */
        public Builder optBiasUpdateRate(float gamma) {
            this.biasUpdateRate = gamma;
            return this;
        }

        /**
         * Validates the fields and builds the spec.
         *
         * @return the spec
         * @throws IllegalArgumentException naming the first invalid field
         */
        public RouterSpec build() {
            require(type != null, "router type is required");
            require(numExperts > 0, "numExperts must be > 0, got " + numExperts);
            require(nullExperts >= 0, "nullExperts must be >= 0, got " + nullExperts);
            require(topK > 0, "topK must be > 0, got " + topK);
            int choices = numExperts + nullExperts;
            require(
                    topK <= choices,
                    "topK (k=" + topK + ") exceeds the number of experts (E=" + choices + ")");
            require(
                    Float.isFinite(scalingFactor) && scalingFactor > 0,
                    "scalingFactor must be finite and > 0, got " + scalingFactor);
            require(jitter >= 0 && jitter < 1, "jitter must be in [0, 1), got " + jitter);
            require(noiseStd >= 0, "noiseStd must be >= 0, got " + noiseStd);
            require(
                    capacityMultiple >= 1,
                    "capacityMultiple must be >= 1, got " + capacityMultiple);
            require(groupSize >= 0, "groupSize must be >= 0, got " + groupSize);
            if (capacityFactorSet || (capacityFactor >= 0 && !capacitySet)) {
                require(
                        capacityFactor > 0 && Float.isFinite(capacityFactor),
                        "capacityFactor must be > 0, got " + capacityFactor);
            }
            if (capacitySet || capacity >= 0) {
                require(capacity > 0, "capacity must be > 0, got " + capacity);
            }
            require(
                    !(capacity > 0 && capacityFactor > 0),
                    "set either capacity or capacityFactor, not both");
            boolean needsCapacity =
                    type == RouterType.SWITCH
                            || type == RouterType.CAPACITY_TOP_K
                            || type == RouterType.EXPERT_CHOICE;
            if (needsCapacity) {
                require(
                        capacity > 0 || capacityFactor > 0,
                        type + " needs a capacity: set capacityFactor or capacity (> 0)");
            } else {
                require(
                        capacity < 0 && capacityFactor < 0,
                        type + " is dropless and takes no capacity");
            }
            if (type == RouterType.SWITCH) {
                require(topK == 1, "SWITCH routes to exactly one expert, got topK=" + topK);
            }
            if (type == RouterType.TOP_P) {
                require(topP > 0 && topP <= 1, "topP must be in (0, 1], got " + topP);
                int max = maxExperts == 0 ? choices : maxExperts;
                require(
                        minExperts >= 1 && minExperts <= max && max <= choices,
                        "top-p expert bounds need 1 <= min <= max <= E, got min="
                                + minExperts
                                + ", max="
                                + max
                                + ", E="
                                + choices);
            }
            if (type == RouterType.GROUP_LIMITED) {
                require(numGroups >= 1, "numGroups must be >= 1, got " + numGroups);
                require(
                        numExperts % numGroups == 0,
                        "numExperts ("
                                + numExperts
                                + ") must divide into numGroups ("
                                + numGroups
                                + ")");
                require(
                        topKGroups >= 1 && topKGroups <= numGroups,
                        "topKGroups must be in [1, numGroups], got " + topKGroups);
                require(
                        topK <= topKGroups * (numExperts / numGroups),
                        "topK (" + topK + ") exceeds the experts in the kept groups");
                require(
                        groupScore != GroupScore.TOP2_SUM || numExperts / numGroups >= 2,
                        "TOP2_SUM group score needs at least 2 experts per group");
                require(nullExperts == 0, "GROUP_LIMITED does not support null experts");
            } else {
                require(!correctionBias, "only GROUP_LIMITED has a correction bias");
                require(scoring == ScoringFunction.SOFTMAX, "only GROUP_LIMITED scores by sigmoid");
            }
            require(
                    biasUpdateRate >= 0 && (biasUpdateRate == 0 || correctionBias),
                    "biasUpdateRate needs correctionBias and must be >= 0, got " + biasUpdateRate);
            require(
                    nullExperts == 0
                            || type == RouterType.SOFTMAX_TOP_K
                            || type == RouterType.TOP_K_SOFTMAX
                            || type == RouterType.TOP_P,
                    "null experts are supported by token-choice routers only, not " + type);
            return new RouterSpec(this);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException("Invalid router spec: " + message);
            }
        }
    }
}
