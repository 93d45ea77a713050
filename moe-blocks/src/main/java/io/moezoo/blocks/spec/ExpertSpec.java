package io.moezoo.blocks.spec;

import com.google.gson.JsonObject;
import io.moezoo.blocks.experts.ExpertKinds;

/**
 * What a bank of E experts is: one record per expert form ({@link SwiGluExpertSpec}, {@link
 * MlpExpertSpec}, {@link LoraExpertSpec}, {@link LinearExpertSpec}, {@link
 * ClampedSwiGluExpertSpec}), each registered with its block in {@code ExpertKinds}. Every form maps
 * H to H through an inner width I.
 */
public interface ExpertSpec {

    /**
     * Returns E.
     *
     * @return the number of experts
     */
    int numExperts();

    /**
     * Returns H.
     *
     * @return the model width
     */
    int hiddenSize();

    /**
     * Returns I, each expert's inner width.
     *
     * @return the intermediate size
     */
    int intermediateSize();

    /**
     * Returns this spec with another E and I, every other field kept.
     *
     * @param experts the new E
     * @param intermediate the new I
     * @return the reshaped spec, validated
     */
    default ExpertSpec reshaped(int experts, int intermediate) {
        JsonObject json = SpecCodec.write(ExpertKinds.registry(), this);
        json.addProperty("numExperts", experts);
        json.addProperty("intermediateSize", intermediate);
        return SpecCodec.read(ExpertKinds.registry(), json);
    }

    /**
     * Splits each expert into m experts of width I/m (DeepSeekMoE's fine-grained segmentation).
     *
     * @param m the split factor
     * @return the spec of the split bank
     * @throws IllegalArgumentException if m does not divide I
     */
    default ExpertSpec fineGrained(int m) {
        if (m < 1 || intermediateSize() % m != 0) {
            throw new IllegalArgumentException(
                    "Fine-grained factor m="
                            + m
                            + " must divide intermediateSize "
                            + intermediateSize());
        }
        return reshaped(numExperts() * m, intermediateSize() / m);
    }

    /**
     * Returns the JSON form ({@link SpecCodec}), with the kind in {@code "type"}.
     *
     * @return JSON text
     */
    default String toJson() {
        return SpecCodec.write(ExpertKinds.registry(), this).toString();
    }

    /**
     * Reads an expert spec from its JSON form; omitted optional fields take their defaults, and the
     * JSON of earlier versions is still read.
     *
     * @param json JSON text with a {@code "type"}
     * @return the validated spec
     * @throws SpecJsonException naming what is wrong
     */
    static ExpertSpec fromJson(String json) {
        return SpecCodec.read(ExpertKinds.registry(), json);
    }

    /**
     * Checks E, H and I.
     *
     * @param kind the form's name in messages
     * @param numExperts E
     * @param hiddenSize H
     * @param intermediateSize I
     * @throws IllegalArgumentException if one is not positive
     */
    static void checkShape(String kind, int numExperts, int hiddenSize, int intermediateSize) {
        if (numExperts <= 0 || hiddenSize <= 0 || intermediateSize <= 0) {
            throw new IllegalArgumentException(
                    "Invalid "
                            + kind
                            + " expert spec: numExperts, hiddenSize and intermediateSize must be"
                            + " > 0, got "
                            + numExperts
                            + ", "
                            + hiddenSize
                            + ", "
                            + intermediateSize);
        }
    }
}
