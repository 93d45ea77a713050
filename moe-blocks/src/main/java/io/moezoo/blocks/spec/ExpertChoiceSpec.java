package io.moezoo.blocks.spec;

/**
 * Expert choice routing (Zhou et al. 2022): each expert picks its top C tokens of the group by
 * softmax score, with C = k · T · capacityFactor / E, so load is balanced by construction and a
 * token may get any number of experts.
 *
 * <p>JSON {@code "type": "expert_choice"}; defaults: {@code capacityFactor 1.0, capacity -1,
 * capacityMultiple 1, groupSize 0, scalingFactor 1}.
 *
 * @param numExperts E
 * @param topK k, the average experts per token the capacity is sized for
 * @param capacityFactor the capacity factor, or -1 when {@code capacity} is set
 * @param capacity the fixed capacity, or -1 when the factor is set
 * @param capacityMultiple the multiple the capacity is rounded up to
 * @param groupSize the routing group in tokens, 0 for the layer's batch
 * @param scalingFactor the factor on the final weights
 */
public record ExpertChoiceSpec(
        int numExperts,
        int topK,
        float capacityFactor,
        int capacity,
        int capacityMultiple,
        int groupSize,
        float scalingFactor)
        implements CapacityLimited {

    /** The defaults of the optional fields, as JSON. */
    public static final String DEFAULTS =
            "{\"capacityFactor\":1.0,\"capacity\":-1,\"capacityMultiple\":1,\"groupSize\":0,"
                    + "\"scalingFactor\":1.0}";

    /**
     * Validates every field.
     *
     * @param numExperts E
     * @param topK k, the average experts per token the capacity is sized for
     * @param capacityFactor the capacity factor, or -1 when {@code capacity} is set
     * @param capacity the fixed capacity, or -1 when the factor is set
     * @param capacityMultiple the multiple the capacity is rounded up to
     * @param groupSize the routing group in tokens, 0 for the layer's batch
     * @param scalingFactor the factor on the final weights
     */
    public ExpertChoiceSpec {
        RouterChecks.experts("expert_choice", numExperts, topK, 0);
        CapacityLimited.check("expert_choice", capacityFactor, capacity, capacityMultiple);
        RouterChecks.groupSize("expert_choice", groupSize);
        RouterChecks.scaling("expert_choice", scalingFactor);
    }

    /**
     * Returns a spec with a capacity factor and the other defaults.
     *
     * @param numExperts E
     * @param topK k
     * @param capacityFactor the capacity factor
     * @return the spec
     */
    public static ExpertChoiceSpec of(int numExperts, int topK, float capacityFactor) {
        return new ExpertChoiceSpec(numExperts, topK, capacityFactor, -1, 1, 0, 1f);
    }

    /**
     * Returns a copy with a fixed capacity in place of the factor.
     *
     * @param tokens the capacity per expert and group
     * @return the copy
     */
    public ExpertChoiceSpec withCapacity(int tokens) {
        return new ExpertChoiceSpec(
                numExperts, topK, -1f, tokens, capacityMultiple, groupSize, scalingFactor);
    }

    /**
     * Returns a copy with another routing group size.
     *
     * @param tokens the group size, 0 for the layer's batch
     * @return the copy
     */
    public ExpertChoiceSpec withGroupSize(int tokens) {
        return new ExpertChoiceSpec(
                numExperts,
                topK,
                capacityFactor,
                capacity,
                capacityMultiple,
                tokens,
                scalingFactor);
    }
}
