package io.moezoo.hf;

import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;

/**
 * One Hugging Face {@code model_type}: how its {@code config.json} maps onto a {@link DecoderSpec}
 * and how its checkpoint names the MoE weights. Supporting another model type is a class
 * implementing this, one line in {@link HfModelTypes}, and a parity fixture ({@code
 * src/test/python}).
 */
interface HfModelType {

    /**
     * Returns the {@code model_type} value.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the config field that counts the routed experts (named in error messages).
     *
     * @return the field name
     */
    String expertCountField();

    /**
     * Returns the config field naming the activation.
     *
     * @return the field name
     */
    default String activationField() {
        return "hidden_act";
    }

    /**
     * Returns whether this type maps {@code partial_rotary_factor} itself; for the others any value
     * but 1 is refused (transformers' RoPE initialisation reads it for every type).
     *
     * @return true if the type's mapping honours the field
     */
    default boolean readsPartialRotary() {
        return false;
    }

    /**
     * Returns how the checkpoint names the experts.
     *
     * @return the names
     */
    default ExpertNames expertNames() {
        return ExpertNames.HUGGING_FACE;
    }

    /**
     * Maps a config whose common fields are already read.
     *
     * @param config the config
     * @param common its common fields
     * @return the decoder spec
     * @throws MalformedCheckpointException if a field is missing or invalid
     */
    DecoderSpec map(ConfigFields config, HfConfigMapper.Common common)
            throws MalformedCheckpointException;
}
