package io.moezoo.blocks.spec;

import io.moezoo.blocks.routing.RouterKinds;

/**
 * What a router is: one record per routing algorithm ({@link SoftmaxTopKSpec}, {@link
 * GroupLimitedSpec}, ...), each registered with its router block in {@code RouterKinds}.
 *
 * <p>The accessors below are what every router shares; a kind without one of the options answers
 * the default given here. Presets for real models are in {@link RouterPresets}.
 */
public interface RouterSpec {

    /**
     * Returns E, the number of routed experts.
     *
     * @return E
     */
    int numExperts();

    /**
     * Returns k, the number of experts chosen per token (for expert choice: per expert, as a
     * multiple of the group size over E; for top-p: the most experts a token may use).
     *
     * @return k
     */
    int topK();

    /**
     * Returns the number of null (zero-output) experts that may be chosen beside the real ones.
     *
     * @return the null experts, 0 if the kind has none
     */
    default int nullExperts() {
        return 0;
    }

    /**
     * Returns the number of router outputs: E plus the null experts.
     *
     * @return E + null experts
     */
    default int numChoices() {
        return numExperts() + nullExperts();
    }

    /**
     * Returns whether the router's linear map has a bias, {@code logits = x·Wᵀ + b} with {@code b:
     * [E']} (gpt-oss).
     *
     * @return whether the logits have a learned bias, false by default
     */
    default boolean bias() {
        return false;
    }

    /**
     * Returns whether the kept weights are renormalised to sum to one.
     *
     * @return whether top-k weights are renormalised
     */
    default boolean normalizeTopK() {
        return false;
    }

    /**
     * Returns the factor the final weights are multiplied by (DeepSeek's {@code
     * routed_scaling_factor}).
     *
     * @return the scaling factor, 1 by default
     */
    default float scalingFactor() {
        return 1f;
    }

    /**
     * Returns ε of multiplicative jitter on the router input while training (Switch Transformer): x
     * ⊙ U(1-ε, 1+ε).
     *
     * @return ε, 0 for none
     */
    default float jitter() {
        return 0f;
    }

    /**
     * Returns the routing group size in tokens, over which capacities are counted; 0 means the
     * group the layer passes (its whole batch).
     *
     * @return the group size, 0 for the layer's
     */
    default int groupSize() {
        return 0;
    }

    /**
     * Returns this spec with another number of experts and k, every other field kept (for upcycling
     * and fine-grained splits); a kind whose k is fixed or derived keeps it.
     *
     * @param experts the new E
     * @param k the new k
     * @return the resized spec, validated
     */
    default RouterSpec resized(int experts, int k) {
        com.google.gson.JsonObject json = SpecCodec.write(RouterKinds.registry(), this);
        json.addProperty("numExperts", experts);
        if (json.has("topK")) {
            json.addProperty("topK", k);
        }
        return SpecCodec.read(RouterKinds.registry(), json);
    }

    /**
     * Returns the JSON form ({@link SpecCodec}), with the kind in {@code "type"}.
     *
     * @return JSON text
     */
    default String toJson() {
        return SpecCodec.write(RouterKinds.registry(), this).toString();
    }

    /**
     * Reads a router spec from its JSON form; omitted optional fields take their defaults, and the
     * JSON of earlier versions (one object with every option) is still read.
     *
     * @param json JSON text with a {@code "type"}
     * @return the validated spec
     * @throws SpecJsonException naming what is wrong
     */
    static RouterSpec fromJson(String json) {
        return SpecCodec.read(RouterKinds.registry(), json);
    }
}
