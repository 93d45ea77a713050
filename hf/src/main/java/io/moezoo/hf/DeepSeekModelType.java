package io.moezoo.hf;

import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;

/**
 * DeepSeek-V2 and DeepSeek-V3: multi-head latent attention and group-limited routing, mapped by
 * {@link DeepSeekConfigs}.
 */
final class DeepSeekModelType implements HfModelType {

    private final String name;

    DeepSeekModelType(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String expertCountField() {
        return "n_routed_experts";
    }

    @Override
    public DecoderSpec map(ConfigFields c, HfConfigMapper.Common k)
            throws MalformedCheckpointException {
        return DeepSeekConfigs.map(c, name, k);
    }
}
