package io.moezoo.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.attention.YarnScaling;
import io.moezoo.blocks.spec.ClampedSwiGluExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * gpt_oss's config.json mapping: gpt-oss-20b's published values (moe-reference-semantics §9.1) give
 * the spec the reference forward needs, defaults follow GptOssConfig, and every unsupported or
 * inconsistent value is refused by name.
 */
class GptOssConfigTest {

    /** gpt-oss-20b's config.json, as the hub publishes it (values from the semantics note). */
    private static JsonObject gptOss20b() {
        JsonObject c = new JsonObject();
        c.addProperty("model_type", "gpt_oss");
        c.addProperty("vocab_size", 201088);
        c.addProperty("hidden_size", 2880);
        c.addProperty("intermediate_size", 2880);
        c.addProperty("num_hidden_layers", 24);
        c.addProperty("num_attention_heads", 64);
        c.addProperty("num_key_value_heads", 8);
        c.addProperty("head_dim", 64);
        c.addProperty("num_local_experts", 32);
        c.addProperty("num_experts_per_tok", 4);
        c.addProperty("experts_per_token", 4);
        c.addProperty("sliding_window", 128);
        JsonArray types = new JsonArray();
        for (int i = 0; i < 24; i++) {
            types.add(i % 2 == 0 ? "sliding_attention" : "full_attention");
        }
        c.add("layer_types", types);
        c.addProperty("rope_theta", 150000.0);
        JsonObject yarn = new JsonObject();
        yarn.addProperty("rope_type", "yarn");
        yarn.addProperty("factor", 32.0);
        yarn.addProperty("beta_fast", 32.0);
        yarn.addProperty("beta_slow", 1.0);
        yarn.addProperty("truncate", false);
        yarn.addProperty("original_max_position_embeddings", 4096);
        c.add("rope_scaling", yarn);
        c.addProperty("max_position_embeddings", 131072);
        c.addProperty("attention_bias", true);
        c.addProperty("swiglu_limit", 7.0);
        c.addProperty("rms_norm_eps", 1e-5);
        c.addProperty("tie_word_embeddings", false);
        c.addProperty("hidden_act", "silu");
        JsonObject q = new JsonObject();
        q.addProperty("quant_method", "mxfp4");
        c.add("quantization_config", q);
        return c;
    }

    private static DecoderSpec map(JsonObject c) throws MalformedCheckpointException {
        return HfConfigMapper.map(c.toString(), "config.json");
    }

    private static String refusal(Consumer<JsonObject> edit) {
        JsonObject c = gptOss20b();
        edit.accept(c);
        return assertThrows(MalformedCheckpointException.class, () -> map(c)).getMessage();
    }

    @Test
    void gptOss20bMapsToItsPublishedShape() throws Exception {
        DecoderSpec spec = map(gptOss20b());
        assertEquals("gpt_oss", spec.modelType());
        assertEquals(24, spec.numLayers());
        AttentionSpec a = (AttentionSpec) spec.attention();
        assertEquals(64, a.numHeads());
        assertEquals(8, a.numKvHeads());
        assertEquals(64, a.headDim());
        assertTrue(a.qkvBias() && a.oBias() && a.sinks());
        assertEquals(150000.0, a.ropeTheta());
        assertEquals(new YarnScaling(32, 4096, 32, 1, false, 0), a.yarn());
        assertEquals(0.125, a.scale(), 1e-12);
        for (int i = 0; i < 24; i++) {
            assertEquals(i % 2 == 0 ? 128 : 0, spec.slidingWindows().get(i), "layer " + i);
            assertEquals(i % 2 == 0 ? 128 : 0, ((AttentionSpec) spec.attention(i)).slidingWindow());
        }
        MoeLayerSpec moe = spec.ffn().get(0);
        assertEquals(List.of(moe), List.copyOf(new java.util.HashSet<>(spec.ffn())));
        TopKSoftmaxSpec router = (TopKSoftmaxSpec) moe.router();
        assertEquals(32, router.numExperts());
        assertEquals(4, router.topK());
        assertTrue(router.bias());
        assertEquals(new ClampedSwiGluExpertSpec(32, 2880, 2880, 7f, 1.702f), moe.experts());
        assertNull(HfConfigMapper.fp8(parse(gptOss20b())), "mxfp4 pairs are found by key");
    }

    @Test
    void defaultsFollowGptOssConfig() throws Exception {
        JsonObject c = gptOss20b();
        c.remove("layer_types");
        c.remove("attention_bias");
        c.remove("swiglu_limit");
        c.remove("rope_theta");
        c.remove("num_experts_per_tok");
        c.addProperty("num_hidden_layers", 3);
        c.addProperty("swiglu_alpha", 2.0);
        c.getAsJsonObject("rope_scaling").remove("truncate");
        DecoderSpec spec = map(c);
        // Layer i slides iff i is even; q/k/v/o biases on; theta 150000; experts_per_token read.
        assertEquals(List.of(128, 0, 128), spec.slidingWindows());
        AttentionSpec a = (AttentionSpec) spec.attention();
        assertTrue(a.qkvBias() && a.oBias());
        assertEquals(150000.0, a.ropeTheta());
        assertTrue(a.yarn().truncate(), "transformers' YaRN default is truncate = true");
        assertEquals(4, spec.ffn().get(0).router().topK());
        assertEquals(
                new ClampedSwiGluExpertSpec(32, 2880, 2880, 7f, 2f), spec.ffn().get(0).experts());
        c.remove("rope_scaling");
        assertNull(((AttentionSpec) map(c).attention()).yarn());
    }

    @Test
    void unsupportedOrInconsistentValuesAreRefusedByName() {
        assertTrue(
                refusal(c -> c.getAsJsonObject("rope_scaling").addProperty("rope_type", "linear"))
                        .contains("rope_type"));
        assertTrue(
                refusal(c -> c.getAsJsonObject("rope_scaling").addProperty("mscale", 1.0))
                        .contains("mscale"));
        assertTrue(
                refusal(c -> c.getAsJsonObject("rope_scaling").remove("factor"))
                        .contains("factor"));
        assertTrue(
                refusal(
                                c ->
                                        c.getAsJsonArray("layer_types")
                                                .set(3, JsonParser.parseString("\"x\"")))
                        .contains("layer_types"));
        assertTrue(refusal(c -> c.getAsJsonArray("layer_types").remove(0)).contains("layer_types"));
        assertTrue(refusal(c -> c.addProperty("swiglu_limit", -1)).contains("swiglu_limit"));
        assertTrue(refusal(c -> c.addProperty("sliding_window", 0)).contains("sliding_window"));
        assertTrue(refusal(c -> c.addProperty("num_experts", 16)).contains("num_experts"));
        assertTrue(
                refusal(c -> c.addProperty("num_experts_per_tok", 33))
                        .contains("num_experts_per_tok"));
    }

    @Test
    void onlyMxfp4AndFp8QuantisationsAreAccepted() throws Exception {
        JsonObject c = gptOss20b();
        c.getAsJsonObject("quantization_config").addProperty("quant_method", "gptq");
        String message =
                assertThrows(MalformedCheckpointException.class, () -> HfConfigMapper.fp8(parse(c)))
                        .getMessage();
        assertTrue(message.contains("quant_method") && message.contains("mxfp4"), message);
    }

    private static ConfigFields parse(JsonObject c) throws MalformedCheckpointException {
        return ConfigFields.parse(c.toString(), java.nio.file.Path.of("config.json"));
    }
}
