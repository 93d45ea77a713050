package io.moezoo.hf;

import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.formats.MalformedCheckpointException;
import java.util.List;

/**
 * Mixtral: RoPE θ 10⁶ by default, an optional sliding window, a softmax top-k router always
 * renormalised, SwiGLU experts named {@code w1/w3/w2}.
 */
final class MixtralModelType extends GqaModelType {

    MixtralModelType() {
        super("mixtral");
    }

    @Override
    public String expertCountField() {
        return "num_local_experts";
    }

    @Override
    public ExpertNames expertNames() {
        return ExpertNames.MIXTRAL;
    }

    @Override
    double defaultTheta() {
        return 1e6;
    }

    @Override
    boolean slidingWindow() {
        return true;
    }

    @Override
    List<MoeLayerSpec> ffn(ConfigFields c, HfConfigMapper.Common k)
            throws MalformedCheckpointException {
        int experts;
        if (!c.has("num_local_experts") && c.has("num_experts")) {
            // MixtralConfig's attribute_map: num_experts -> num_local_experts.
            experts = c.integer("num_experts", 1, ConfigLimits.MAX_EXPERTS);
        } else {
            experts = c.integer("num_local_experts", 1, ConfigLimits.MAX_EXPERTS);
        }
        if (c.has("num_experts") && c.has("num_local_experts")) {
            int alias = c.integer("num_experts", 1, ConfigLimits.MAX_EXPERTS);
            if (alias != experts) {
                throw c.error("num_experts", "disagrees with num_local_experts " + experts);
            }
        }
        int topK = c.integer("num_experts_per_tok", 1, experts);
        MoeLayerSpec layer =
                MoeLayerSpec.of(
                        RouterPresets.mixtral(experts, topK),
                        new SwiGluExpertSpec(
                                experts,
                                k.hidden(),
                                c.integer("intermediate_size", 1, ConfigLimits.MAX_INTERMEDIATE)));
        return everyLayer(layer, k.layers());
    }
}
