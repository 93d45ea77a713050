package io.moezoo.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.engine.Fixtures;
import io.moezoo.engine.tensor.SafetensorsSource;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine's logits against the reference transcription's, for prefill and for a 3-token prompt
 * followed by cached single-token decode steps: within 1e-4 for float32 checkpoints and within the
 * stored format's tolerance otherwise (the fixtures' expectations were computed from the
 * checkpoint's own values widened to float32, so BF16 needs no looser bound).
 */
class EngineParityTest {

    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mixtral",
                "mixtral_sharded",
                "mixtral_bf16",
                "mixtral_fused",
                "mixtral_swa",
                "qwen2_moe",
                "qwen2_moe_dense",
                "qwen3_moe",
                "olmoe",
                "jetmoe",
                "granitemoe",
                "glm4_moe",
                "deepseek_v2",
                "deepseek_v3",
                "deepseek_v3_fp8",
                "gpt_oss",
                "gpt_oss_bf16"
            })
    void prefillAndCachedDecodeMatchTheReference(String fixture) throws Exception {
        Fixtures expected = Fixtures.of(fixture);
        long[] ids = expected.ids();
        try (SafetensorsSource source = SafetensorsSource.open(Fixtures.DIR.resolve(fixture))) {
            CausalLm model = CausalLm.load(source);
            int vocab = model.spec().vocabSize();
            float[] all = model.forward(ids, model.newCache(), false);
            assertEquals(ids.length * vocab, all.length);
            for (int p = 0; p < ids.length; p++) {
                double error = expected.maxError(p, all, p * vocab);
                assertTrue(error <= TOLERANCE, fixture + " prefill position " + p + ": " + error);
            }
            KvCache cache = model.newCache();
            int prompt = 3;
            float[] last = model.forward(Arrays.copyOf(ids, prompt), cache, true);
            assertTrue(expected.maxError(prompt - 1, last, 0) <= TOLERANCE, fixture + " prompt");
            for (int p = prompt; p < ids.length; p++) {
                float[] step = model.forward(new long[] {ids[p]}, cache, true);
                double error = expected.maxError(p, step, 0);
                assertTrue(error <= TOLERANCE, fixture + " decode position " + p + ": " + error);
            }
            assertEquals(ids.length, cache.length());
        }
    }
}
