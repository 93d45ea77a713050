package io.moezoo.blocks.spec;

/**
 * A router whose experts take at most a capacity C of tokens per routing group (Switch, GShard,
 * V-MoE, expert choice). C is set either directly ({@link #capacity()}) or as a factor:
 *
 * <pre>C = ceil(k · T · capacityFactor / E), rounded up to a multiple of capacityMultiple</pre>
 *
 * for T tokens per group and k choices per token. Exactly one of the two is positive; the other is
 * -1.
 */
public interface CapacityLimited extends RouterSpec {

    /**
     * Returns the capacity factor, or -1 when {@link #capacity()} is set.
     *
     * @return the capacity factor
     */
    float capacityFactor();

    /**
     * Returns the fixed capacity in tokens per expert and group, or -1 when the factor is set.
     *
     * @return the capacity
     */
    int capacity();

    /**
     * Returns the multiple C is rounded up to (V-MoE uses 4), at least 1.
     *
     * @return the multiple
     */
    int capacityMultiple();

    /**
     * Returns the capacity C for a routing group.
     *
     * @param groupTokens T, the tokens in the group
     * @param choicesPerToken k, the choices each token makes (1 for expert choice's per-token
     *     share)
     * @return C &gt; 0
     * @throws IllegalArgumentException if C comes out as 0
     */
    default int expertCapacity(int groupTokens, int choicesPerToken) {
        int c =
                capacity() > 0
                        ? capacity()
                        : (int)
                                Math.ceil(
                                        (double) choicesPerToken
                                                        * groupTokens
                                                        * capacityFactor()
                                                        / numExperts()
                                                - 1e-9);
        int m = capacityMultiple();
        c = ((c + m - 1) / m) * m;
        if (c <= 0) {
            throw new IllegalArgumentException(
                    "Expert capacity computed as "
                            + c
                            + " for "
                            + groupTokens
                            + " tokens; it must be > 0");
        }
        return c;
    }

    /**
     * Checks the capacity fields of a record.
     *
     * @param router the router's name in messages
     * @param capacityFactor the factor, or -1
     * @param capacity the fixed capacity, or -1
     * @param capacityMultiple the rounding multiple
     * @throws IllegalArgumentException naming the field that is wrong
     */
    static void check(String router, float capacityFactor, int capacity, int capacityMultiple) {
        RouterChecks.require(
                (capacityFactor > 0 && Float.isFinite(capacityFactor) && capacity == -1)
                        || (capacity > 0 && capacityFactor == -1f),
                router,
                "set exactly one of capacityFactor (> 0) and capacity (> 0), the other -1; got"
                        + " capacityFactor="
                        + capacityFactor
                        + ", capacity="
                        + capacity);
        RouterChecks.require(
                capacityMultiple >= 1,
                router,
                "capacityMultiple must be >= 1, got " + capacityMultiple);
    }
}
