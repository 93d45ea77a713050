package io.moezoo.models.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.attention.CausalSelfAttention;
import io.moezoo.blocks.attention.YarnScaling;
import io.moezoo.blocks.spec.ClampedSwiGluExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-layer sliding windows (gpt-oss {@code layer_types}): JSON and the layers they build. */
class DecoderSlidingWindowsTest {

    private static DecoderSpec gptOssLike() {
        AttentionSpec attention =
                new AttentionSpec(16, 2, 1, 8, true, AttentionSpec.QkNorm.NONE, 150000, 1, 0, 1e-5f)
                        .withGptOssExtras(true, true, YarnScaling.gptOss());
        MoeLayerSpec moe =
                MoeLayerSpec.of(
                        TopKSoftmaxSpec.of(4, 2).withBias(true),
                        ClampedSwiGluExpertSpec.of(4, 16, 8));
        return new DecoderSpec(
                "gpt_oss",
                32,
                16,
                attention,
                Collections.nCopies(4, moe),
                0,
                1e-5f,
                1e-5f,
                false,
                1024);
    }

    @Test
    void windowsRoundTripThroughJsonAndAreWrittenOnlyWhenSet() {
        DecoderSpec plain = gptOssLike();
        assertNull(plain.slidingWindows());
        assertFalse(plain.toJson().contains("slidingWindows"));
        assertEquals(plain, DecoderSpec.fromJson(plain.toJson()));
        DecoderSpec alternating = plain.withSlidingWindows(List.of(128, 0, 128, 0));
        assertTrue(alternating.toJson().contains("slidingWindows"));
        assertEquals(alternating, DecoderSpec.fromJson(alternating.toJson()));
        assertEquals(alternating.toJson(), DecoderSpec.fromJson(alternating.toJson()).toJson());
    }

    @Test
    void eachLayerBuildsItsOwnWindow() {
        DecoderSpec spec = gptOssLike().withSlidingWindows(List.of(128, 0, 128, 0));
        List<DecoderLayer> layers = new MoeCausalLm(spec).getLayers();
        for (int i = 0; i < 4; i++) {
            AttentionSpec attention =
                    ((CausalSelfAttention) layers.get(i).getAttention()).getSpec();
            assertEquals(i % 2 == 0 ? 128 : 0, attention.slidingWindow(), "layer " + i);
            assertTrue(attention.sinks());
            assertEquals(spec.attention(i), attention);
        }
        assertEquals(gptOssLike().attention(), gptOssLike().attention(3));
    }

    @Test
    void invalidWindowsAreRejected() {
        DecoderSpec spec = gptOssLike();
        assertThrows(IllegalArgumentException.class, () -> spec.withSlidingWindows(List.of(128)));
        assertThrows(
                IllegalArgumentException.class,
                () -> spec.withSlidingWindows(List.of(128, -1, 128, 0)));
    }
}
