package io.moezoo.blocks.spec;

/**
 * Top-k routing with expert capacity (GShard, V-MoE): softmax over all experts, the top k per
 * token, then each expert keeps at most C tokens of its group, in token order or, with {@code
 * batchPrioritized}, by routing weight (V-MoE's batch prioritised routing). V-MoE adds Gaussian
 * noise of standard deviation {@code noiseStd / E} to the logits while training.
 *
 * <p>JSON {@code "type": "capacity_top_k"}; defaults: {@code capacityFactor 1.0, capacity -1,
 * capacityMultiple 1, groupSize 0, noiseStd 0, batchPrioritized false, normalizeTopK false,
 * scalingFactor 1, jitter 0}.
 *
 * @param numExperts E
 * @param topK k
 * @param capacityFactor the capacity factor, or -1 when {@code capacity} is set
 * @param capacity the fixed capacity, or -1 when the factor is set
 * @param capacityMultiple the multiple the capacity is rounded up to
 * @param groupSize the routing group in tokens, 0 for the layer's batch
 * @param noiseStd the training noise on the logits, times E
 * @param batchPrioritized whether capacity goes to the highest weights first
 * @param normalizeTopK whether the kept weights are renormalised
 * @param scalingFactor the factor on the final weights
 * @param jitter ε of the training-time input jitter
 */
public record CapacityTopKSpec(
        int numExperts,
        int topK,
        float capacityFactor,
        int capacity,
        int capacityMultiple,
        int groupSize,
        float noiseStd,
        boolean batchPrioritized,
        boolean normalizeTopK,
        float scalingFactor,
        float jitter)
        implements CapacityLimited {

    /** The defaults of the optional fields, as JSON. */
    public static final String DEFAULTS =
            "{\"capacityFactor\":1.0,\"capacity\":-1,\"capacityMultiple\":1,\"groupSize\":0,"
                    + "\"noiseStd\":0.0,\"batchPrioritized\":false,\"normalizeTopK\":false,"
                    + "\"scalingFactor\":1.0,\"jitter\":0.0}";

    /**
     * Validates every field.
     *
     * @param numExperts E
     * @param topK k
     * @param capacityFactor the capacity factor, or -1 when {@code capacity} is set
     * @param capacity the fixed capacity, or -1 when the factor is set
     * @param capacityMultiple the multiple the capacity is rounded up to
     * @param groupSize the routing group in tokens, 0 for the layer's batch
     * @param noiseStd the training noise on the logits, times E
     * @param batchPrioritized whether capacity goes to the highest weights first
     * @param normalizeTopK whether the kept weights are renormalised
     * @param scalingFactor the factor on the final weights
     * @param jitter ε of the training-time input jitter
     */
    public CapacityTopKSpec {
        RouterChecks.experts("capacity_top_k", numExperts, topK, 0);
        CapacityLimited.check("capacity_top_k", capacityFactor, capacity, capacityMultiple);
        RouterChecks.groupSize("capacity_top_k", groupSize);
        RouterChecks.require(
                noiseStd >= 0 && Float.isFinite(noiseStd),
                "capacity_top_k",
                "noiseStd must be >= 0, got " + noiseStd);
        RouterChecks.scaling("capacity_top_k", scalingFactor);
        RouterChecks.jitter("capacity_top_k", jitter);
    }

    /**
     * Returns a spec with a capacity factor and the other defaults.
     *
     * @param numExperts E
     * @param topK k
     * @param capacityFactor the capacity factor
     * @return the spec
     */
    public static CapacityTopKSpec of(int numExperts, int topK, float capacityFactor) {
        return new CapacityTopKSpec(
                numExperts, topK, capacityFactor, -1, 1, 0, 0f, false, false, 1f, 0f);
    }

    /**
     * Returns a copy with a fixed capacity in place of the factor.
     *
     * @param tokens the capacity per expert and group
     * @return the copy
     */
    public CapacityTopKSpec withCapacity(int tokens) {
        return new CapacityTopKSpec(
                numExperts,
                topK,
                -1f,
                tokens,
                capacityMultiple,
                groupSize,
                noiseStd,
                batchPrioritized,
                normalizeTopK,
                scalingFactor,
                jitter);
    }

    /**
     * Returns a copy whose capacity is rounded up to a multiple.
     *
     * @param multiple the multiple
     * @return the copy
     */
    public CapacityTopKSpec withCapacityMultiple(int multiple) {
        return new CapacityTopKSpec(
                numExperts,
                topK,
                capacityFactor,
                capacity,
                multiple,
                groupSize,
                noiseStd,
                batchPrioritized,
                normalizeTopK,
                scalingFactor,
                jitter);
    }

    /**
     * Returns a copy with another routing group size.
     *
     * @param tokens the group size, 0 for the layer's batch
     * @return the copy
     */
    public CapacityTopKSpec withGroupSize(int tokens) {
        return new CapacityTopKSpec(
                numExperts,
                topK,
                capacityFactor,
                capacity,
                capacityMultiple,
                tokens,
                noiseStd,
                batchPrioritized,
                normalizeTopK,
                scalingFactor,
                jitter);
    }

    /**
     * Returns a copy with training noise on the logits.
     *
     * @param std the noise standard deviation times E
     * @return the copy
     */
    public CapacityTopKSpec withNoiseStd(float std) {
        return new CapacityTopKSpec(
                numExperts,
                topK,
                capacityFactor,
                capacity,
                capacityMultiple,
                groupSize,
                std,
                batchPrioritized,
                normalizeTopK,
                scalingFactor,
                jitter);
    }

    /**
     * Returns a copy with or without batch prioritised routing.
     *
     * @param prioritized whether capacity goes to the highest weights first
     * @return the copy
     */
    public CapacityTopKSpec withBatchPrioritized(boolean prioritized) {
        return new CapacityTopKSpec(
                numExperts,
                topK,
                capacityFactor,
                capacity,
                capacityMultiple,
                groupSize,
                noiseStd,
                prioritized,
                normalizeTopK,
                scalingFactor,
                jitter);
    }

    /**
     * Returns a copy that renormalises (or not) the kept weights.
     *
     * @param normalize whether to renormalise
     * @return the copy
     */
    public CapacityTopKSpec withNormalizeTopK(boolean normalize) {
        return new CapacityTopKSpec(
                numExperts,
                topK,
                capacityFactor,
                capacity,
                capacityMultiple,
                groupSize,
                noiseStd,
                batchPrioritized,
                normalize,
                scalingFactor,
                jitter);
    }

    /**
     * Returns a copy with training-time input jitter.
     *
     * @param epsilon ε
     * @return the copy
     */
    public CapacityTopKSpec withJitter(float epsilon) {
        return new CapacityTopKSpec(
                numExperts,
                topK,
                capacityFactor,
                capacity,
                capacityMultiple,
                groupSize,
                noiseStd,
                batchPrioritized,
                normalizeTopK,
                scalingFactor,
                epsilon);
    }
}
