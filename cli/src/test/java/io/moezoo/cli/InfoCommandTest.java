package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code info DIR}: the architecture of a checkpoint, readable, with its parameter counts. */
class InfoCommandTest {

    private static final Path FIXTURES =
            Paths.get("..", "hf", "src", "test", "resources", "fixtures");

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MoeZooCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        return out.toString();
    }

    private static JsonObject json(String fixture) {
        return JsonParser.parseString(run("info", FIXTURES.resolve(fixture).toString(), "--json"))
                .getAsJsonObject();
    }

    private static void assertLine(String text, String label, String value) {
        assertTrue(
                Pattern.compile(
                                "(?m)^\\s*"
                                        + Pattern.quote(label)
                                        + "\\s+"
                                        + Pattern.quote(value)
                                        + "$")
                        .matcher(text)
                        .find(),
                "'" + label + "  " + value + "' expected in:\n" + text);
    }

    @Test
    void describesTheOlmoeFixture() {
        // config.json: V=64, H=16, 2 layers, 4 heads, 2 kv heads of 4, E=4, top-2, I=24, theta 1e4.
        JsonObject info = json("olmoe");
        assertEquals("olmoe", info.get("model_type").getAsString());
        assertEquals(2, info.get("layers").getAsInt());
        assertEquals(16, info.get("hidden_size").getAsInt());
        assertEquals(64, info.get("vocab_size").getAsInt());
        JsonObject attention = info.getAsJsonObject("attention");
        assertEquals("grouped-query attention", attention.get("kind").getAsString());
        assertEquals(4, attention.get("num_heads").getAsInt());
        assertEquals(2, attention.get("num_kv_heads").getAsInt());
        assertEquals(4, attention.get("head_dim").getAsInt());
        assertEquals(10000.0, attention.get("rope_theta").getAsDouble());
        assertEquals("full", attention.get("qk_norm").getAsString());
        assertEquals("0-1", info.getAsJsonObject("ffn").get("moe_layers").getAsString());
        assertEquals("none", info.getAsJsonObject("ffn").get("dense_layers").getAsString());
        JsonObject moe = info.getAsJsonObject("moe");
        assertEquals(4, moe.get("experts").getAsInt());
        assertEquals(2, moe.get("top_k").getAsInt());
        assertEquals("swiglu", moe.get("expert_form").getAsString());
        assertEquals("16 -> 24 -> 16", moe.get("expert_size").getAsString());
        assertEquals("none", moe.get("shared_expert").getAsString());
        // By hand: embeddings + lm_head + final norm = 2*64*16 + 16; per layer q,o 16x16, k,v
        // 16x8, q/k norm 16 + 8, two layer norms 32, router 4x16, experts 4*3*24*16 = 5496.
        // Routed experts: 2 layers * 4608; a token uses 2 of 4, so 2 * 2304 are idle.
        JsonObject parameters = info.getAsJsonObject("parameters");
        assertEquals(2 * 64 * 16 + 16 + 2 * 5496, parameters.get("total").getAsLong());
        assertEquals(2 * 4608, parameters.get("routed_experts").getAsLong());
        assertEquals(
                2 * 64 * 16 + 16 + 2 * 5496 - 2 * 2304,
                parameters.get("active_per_token").getAsLong());
    }

    @Test
    void printsASummaryWithoutObjectNames() {
        String text = run("info", FIXTURES.resolve("olmoe").toString());
        assertLine(text, "model type", "olmoe");
        assertLine(text, "kind", "grouped-query attention");
        assertLine(text, "num kv heads", "2");
        assertLine(text, "rope theta", "10,000");
        assertLine(text, "router", "softmax_top_k");
        assertLine(text, "expert size", "16 -> 24 -> 16");
        assertLine(text, "total", "13,056");
        assertLine(text, "active per token", "8,448");
        assertTrue(text.contains("attention:\n"), text);
        assertFalse(text.contains("Spec"), text);
        assertFalse(text.contains("@"), text);
    }

    @Test
    void showsASharedExpert() {
        // qwen2_moe fixture: moe_intermediate_size 12, shared_expert_intermediate_size 20 (gated).
        JsonObject info = json("qwen2_moe");
        JsonObject moe = info.getAsJsonObject("moe");
        assertEquals("20 wide, gated", moe.get("shared_expert").getAsString());
        assertEquals("16 -> 12 -> 16", moe.get("expert_size").getAsString());
        assertEquals(
                "grouped-query attention",
                info.getAsJsonObject("attention").get("kind").getAsString());
        assertTrue(info.getAsJsonObject("attention").get("qkv_bias").getAsBoolean());
        JsonObject parameters = info.getAsJsonObject("parameters");
        long total = parameters.get("total").getAsLong();
        assertEquals(2 * 4 * 3 * 12 * 16, parameters.get("routed_experts").getAsLong());
        assertEquals(total - 2 * 2 * 3 * 12 * 16, parameters.get("active_per_token").getAsLong());
    }

    @Test
    void showsGraniteMultipliersAndGlmPartialRotary() {
        // granitemoe fixture: embedding x3, residual x0.6, logits / 2.5, scores x0.35.
        JsonObject granite = json("granitemoe");
        JsonObject m = granite.getAsJsonObject("multipliers");
        assertEquals(3.0, m.get("embedding").getAsDouble(), 1e-6);
        assertEquals(0.6, m.get("residual").getAsDouble(), 1e-6);
        assertEquals(2.5, m.get("logits_divisor").getAsDouble(), 1e-6);
        assertEquals(0.35, granite.getAsJsonObject("attention").get("softmax_scale").getAsDouble());
        assertEquals("top_k_softmax", granite.getAsJsonObject("moe").get("router").getAsString());
        // glm4_moe fixture: head_dim 8, partial_rotary_factor 0.5, first layer dense, sigmoid.
        JsonObject glm = json("glm4_moe");
        assertFalse(glm.has("multipliers"));
        assertEquals(4, glm.getAsJsonObject("attention").get("rotary_dim").getAsInt());
        assertEquals(8, glm.getAsJsonObject("attention").get("head_dim").getAsInt());
        assertEquals("0", glm.getAsJsonObject("ffn").get("dense_layers").getAsString());
        assertEquals("group_limited", glm.getAsJsonObject("moe").get("router").getAsString());
        assertEquals("sigmoid", glm.getAsJsonObject("moe").get("scoring").getAsString());
        assertEquals("6 wide", glm.getAsJsonObject("moe").get("shared_expert").getAsString());
    }
}
