package io.moezoo.models.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The dense MLP of an encoder block keeps the keys of the published weight files. */
class VisionParameterNamesTest {

    @Test
    void mapsTheDenseMlpToTheBlockLevelLinearLayers() {
        assertEquals(
                "02block0_04fc1_weight",
                VisionParameterNames.fileKey("02block0_04mlp_01fc1_weight"));
        assertEquals(
                "02block0_04fc1_bias", VisionParameterNames.fileKey("02block0_04mlp_01fc1_bias"));
        assertEquals(
                "13block11_05fc2_bias", VisionParameterNames.fileKey("13block11_04mlp_02fc2_bias"));
        assertEquals(
                "04block2_05fc2_weight",
                VisionParameterNames.fileKey("04block2_04mlp_02fc2_weight"));
    }

    @Test
    void leavesEveryOtherKeyAlone() {
        for (String key :
                new String[] {
                    "01patch_embed_weight",
                    "02block0_01norm1_gamma",
                    "02block0_02attn_q_proj_bias",
                    "03block1_04moe_02experts_fc1",
                    "03block1_04moe_02experts_fc2_bias",
                    "07head_weight",
                    "pos_embed"
                }) {
            assertEquals(key, VisionParameterNames.fileKey(key));
        }
    }
}
