package io.moezoo.blocks.spec;

/**
 * Switch Transformer routing: each token goes to its single best expert (k = 1) with weight
 * softmax(x Wᵀ)ᵢ, and tokens beyond an expert's capacity are dropped (passed through by the
 * residual).
 *
 * <p>JSON {@code "type": "switch"}; defaults: {@code capacityFactor 1.0, capacity -1,
 * capacityMultiple 1, groupSize 0, jitter 0}.
 *
 * @param numExperts E
 * @param capacityFactor the capacity factor, or -1 when {@code capacity} is set
 * @param capacity the fixed capacity, or -1 when the factor is set
 * @param capacityMultiple the multiple the capacity is rounded up to
 * @param groupSize the routing group in tokens, 0 for the layer's batch
 * @param jitter ε of the training-time input jitter (the paper uses 0.01)
 */
public record SwitchSpec(
        int numExperts,
        float capacityFactor,
        int capacity,
        int capacityMultiple,
        int groupSize,
        float jitter)
        implements CapacityLimited {

    /** The defaults of the optional fields, as JSON. */
    public static final String DEFAULTS =
            "{\"capacityFactor\":1.0,\"capacity\":-1,\"capacityMultiple\":1,\"groupSize\":0,"
                    + "\"jitter\":0.0}";

    /**
     * Validates every field.
     *
     * @param numExperts E
     * @param capacityFactor the capacity factor, or -1 when {@code capacity} is set
     * @param capacity the fixed capacity, or -1 when the factor is set
     * @param capacityMultiple the multiple the capacity is rounded up to
     * @param groupSize the routing group in tokens, 0 for the layer's batch
     * @param jitter ε of the training-time input jitter (the paper uses 0.01)
     */
    public SwitchSpec {
        RouterChecks.experts("switch", numExperts, 1, 0);
        CapacityLimited.check("switch", capacityFactor, capacity, capacityMultiple);
        RouterChecks.groupSize("switch", groupSize);
        RouterChecks.jitter("switch", jitter);
    }

    /**
     * Returns a spec with a capacity factor.
     *
     * @param numExperts E
     * @param capacityFactor the capacity factor
     * @return the spec
     */
    public static SwitchSpec of(int numExperts, float capacityFactor) {
        return new SwitchSpec(numExperts, capacityFactor, -1, 1, 0, 0f);
    }

    /** Switch routing chooses exactly one expert. */
    @Override
    public int topK() {
        return 1;
    }

    /**
     * Returns a copy with a fixed capacity in place of the factor.
     *
     * @param tokens the capacity per expert and group
     * @return the copy
     */
    public SwitchSpec withCapacity(int tokens) {
        return new SwitchSpec(numExperts, -1f, tokens, capacityMultiple, groupSize, jitter);
    }

    /**
     * Returns a copy with another routing group size.
     *
     * @param tokens the group size, 0 for the layer's batch
     * @return the copy
     */
    public SwitchSpec withGroupSize(int tokens) {
        return new SwitchSpec(
                numExperts, capacityFactor, capacity, capacityMultiple, tokens, jitter);
    }

    /**
     * Returns a copy with training-time input jitter.
     *
     * @param epsilon ε
     * @return the copy
     */
    public SwitchSpec withJitter(float epsilon) {
        return new SwitchSpec(
                numExperts, capacityFactor, capacity, capacityMultiple, groupSize, epsilon);
    }
}
