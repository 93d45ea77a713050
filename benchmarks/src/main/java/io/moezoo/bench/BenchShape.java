package io.moezoo.bench;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A real MoE architecture's shape, as a Hugging Face {@code config.json} and the list of tensors a
 * checkpoint of it holds (keys, shapes, and whether each is a weight matrix, a norm or a bias).
 *
 * @param name the shape's name
 * @param config the config.json fields
 * @param tensors the tensors in checkpoint order
 */
public record BenchShape(String name, JsonObject config, List<Tensor> tensors) {

    /** What a tensor is, which decides its random values and whether it is quantised. */
    public enum Kind {
        /** A weight matrix (quantisable). */
        MATRIX,
        /** A router or gate matrix (kept in float, as llama.cpp does). */
        ROUTER,
        /** An RMSNorm weight (ones). */
        NORM,
        /** A bias (small values). */
        BIAS,
        /** The e2m1 codes of an MXFP4 pair ({@code X_blocks}, U8, random bytes). */
        MXFP4_BLOCKS,
        /** The e8m0 scales of an MXFP4 pair ({@code X_scales}, U8). */
        MXFP4_SCALES
    }

    /**
     * One tensor.
     *
     * @param key the Hugging Face key
     * @param shape the shape
     * @param kind what it is
     */
    public record Tensor(String key, long[] shape, Kind kind) {

        /**
         * Returns the number of elements.
         *
         * @return the product of the shape
         */
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /**
     * Returns the parameter count.
     *
     * @return the elements of all tensors
     */
    public long parameters() {
        long n = 0;
        for (Tensor t : tensors) {
            n += t.elements();
        }
        return n;
    }

    /**
     * Looks a shape up by name.
     *
     * @param name {@code olmoe-1b-7b}, {@code olmoe-1b-7b-2l}, {@code qwen1.5-moe-a2.7b} or {@code
     *     mixtral-small}
     * @return the shape
     */
    public static BenchShape named(String name) {
        switch (name) {
            case "olmoe-1b-7b":
                return olmoe(name, 16);
            case "olmoe-1b-7b-2l":
                return olmoe(name, 2);
            case "qwen1.5-moe-a2.7b":
                return qwenMoe(name, 24);
            case "mixtral-small":
                return mixtral(name);
            case "gpt-oss-20b":
                return gptOss(name, 24);
            case "gpt-oss-20b-2l":
                return gptOss(name, 2);
            default:
                throw new IllegalArgumentException(
                        "Unknown shape '"
                                + name
                                + "' (olmoe-1b-7b, olmoe-1b-7b-2l, qwen1.5-moe-a2.7b,"
                                + " mixtral-small, gpt-oss-20b, gpt-oss-20b-2l)");
        }
    }

    /** OLMoE-1B-7B (allenai/OLMoE-1B-7B-0924): 64 experts, top-8, full q/k norms. */
    static BenchShape olmoe(String name, int layers) {
        int h = 2048;
        int i = 1024;
        int v = 50304;
        int e = 64;
        JsonObject c = new JsonObject();
        c.addProperty("model_type", "olmoe");
        c.addProperty("vocab_size", v);
        c.addProperty("hidden_size", h);
        c.addProperty("intermediate_size", i);
        c.addProperty("num_hidden_layers", layers);
        c.addProperty("num_attention_heads", 16);
        c.addProperty("num_key_value_heads", 16);
        c.addProperty("num_experts", e);
        c.addProperty("num_experts_per_tok", 8);
        c.addProperty("norm_topk_prob", false);
        c.addProperty("max_position_embeddings", 4096);
        c.addProperty("rope_theta", 10000.0);
        c.addProperty("rms_norm_eps", 1e-5);
        c.addProperty("hidden_act", "silu");
        c.addProperty("tie_word_embeddings", false);
        List<Tensor> t = new ArrayList<>();
        t.add(new Tensor("model.embed_tokens.weight", new long[] {v, h}, Kind.MATRIX));
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            attention(t, p + "self_attn.", h, h, h, false);
            t.add(new Tensor(p + "self_attn.q_norm.weight", new long[] {h}, Kind.NORM));
            t.add(new Tensor(p + "self_attn.k_norm.weight", new long[] {h}, Kind.NORM));
            norms(t, p, h);
            t.add(new Tensor(p + "mlp.gate.weight", new long[] {e, h}, Kind.ROUTER));
            experts(t, p + "mlp.experts.", e, h, i, "gate_proj", "up_proj", "down_proj");
        }
        tail(t, v, h);
        return new BenchShape(name, c, t);
    }

    /** Qwen1.5-MoE-A2.7B: 60 experts, top-4, a gated shared expert, q/k/v biases. */
    static BenchShape qwenMoe(String name, int layers) {
        int h = 2048;
        int i = 1408;
        int shared = 5632;
        int v = 151936;
        int e = 60;
        JsonObject c = new JsonObject();
        c.addProperty("model_type", "qwen2_moe");
        c.addProperty("vocab_size", v);
        c.addProperty("hidden_size", h);
        c.addProperty("intermediate_size", 5632);
        c.addProperty("moe_intermediate_size", i);
        c.addProperty("shared_expert_intermediate_size", shared);
        c.addProperty("num_hidden_layers", layers);
        c.addProperty("num_attention_heads", 16);
        c.addProperty("num_key_value_heads", 16);
        c.addProperty("num_experts", e);
        c.addProperty("num_experts_per_tok", 4);
        c.addProperty("norm_topk_prob", false);
        c.addProperty("decoder_sparse_step", 1);
        c.addProperty("max_position_embeddings", 8192);
        c.addProperty("rope_theta", 1000000.0);
        c.addProperty("rms_norm_eps", 1e-6);
        c.addProperty("hidden_act", "silu");
        c.addProperty("tie_word_embeddings", false);
        List<Tensor> t = new ArrayList<>();
        t.add(new Tensor("model.embed_tokens.weight", new long[] {v, h}, Kind.MATRIX));
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            attention(t, p + "self_attn.", h, h, h, true);
            norms(t, p, h);
            t.add(new Tensor(p + "mlp.gate.weight", new long[] {e, h}, Kind.ROUTER));
            experts(t, p + "mlp.experts.", e, h, i, "gate_proj", "up_proj", "down_proj");
            String s = p + "mlp.shared_expert.";
            t.add(new Tensor(s + "gate_proj.weight", new long[] {shared, h}, Kind.MATRIX));
            t.add(new Tensor(s + "up_proj.weight", new long[] {shared, h}, Kind.MATRIX));
            t.add(new Tensor(s + "down_proj.weight", new long[] {h, shared}, Kind.MATRIX));
            t.add(new Tensor(p + "mlp.shared_expert_gate.weight", new long[] {1, h}, Kind.ROUTER));
        }
        tail(t, v, h);
        return new BenchShape(name, c, t);
    }

    /** A small Mixtral (8 layers, H 1024, 8 experts of 2048, top-2, vocab 32000). */
    static BenchShape mixtral(String name) {
        int h = 1024;
        int i = 2048;
        int v = 32000;
        int e = 8;
        int layers = 8;
        JsonObject c = new JsonObject();
        c.addProperty("model_type", "mixtral");
        c.addProperty("vocab_size", v);
        c.addProperty("hidden_size", h);
        c.addProperty("intermediate_size", i);
        c.addProperty("num_hidden_layers", layers);
        c.addProperty("num_attention_heads", 16);
        c.addProperty("num_key_value_heads", 4);
        c.addProperty("num_local_experts", e);
        c.addProperty("num_experts_per_tok", 2);
        c.addProperty("max_position_embeddings", 4096);
        c.addProperty("rope_theta", 1000000.0);
        c.addProperty("rms_norm_eps", 1e-5);
        c.addProperty("hidden_act", "silu");
        c.addProperty("tie_word_embeddings", false);
        List<Tensor> t = new ArrayList<>();
        t.add(new Tensor("model.embed_tokens.weight", new long[] {v, h}, Kind.MATRIX));
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            attention(t, p + "self_attn.", h, h, 256, false);
            norms(t, p, h);
            t.add(new Tensor(p + "block_sparse_moe.gate.weight", new long[] {e, h}, Kind.ROUTER));
            experts(t, p + "block_sparse_moe.experts.", e, h, i, "w1", "w3", "w2");
        }
        tail(t, v, h);
        return new BenchShape(name, c, t);
    }

    /**
     * gpt-oss-20b (openai/gpt-oss-20b): 24 layers alternating a 128-token window and full
     * attention, 64 query / 8 key-value heads of 64, sinks, YaRN; 32 experts of 2880, top-4, stored
     * as MXFP4 pairs (the hub layout; only the experts are MXFP4).
     */
    static BenchShape gptOss(String name, int layers) {
        int h = 2880;
        int i = 2880;
        int v = 201088;
        int e = 32;
        int q = 64 * 64;
        int kv = 8 * 64;
        JsonObject c = new JsonObject();
        c.addProperty("model_type", "gpt_oss");
        c.addProperty("vocab_size", v);
        c.addProperty("hidden_size", h);
        c.addProperty("intermediate_size", i);
        c.addProperty("num_hidden_layers", layers);
        c.addProperty("num_attention_heads", 64);
        c.addProperty("num_key_value_heads", 8);
        c.addProperty("head_dim", 64);
        c.addProperty("num_local_experts", e);
        c.addProperty("num_experts_per_tok", 4);
        c.addProperty("sliding_window", 128);
        com.google.gson.JsonArray types = new com.google.gson.JsonArray();
        for (int l = 0; l < layers; l++) {
            types.add(l % 2 == 0 ? "sliding_attention" : "full_attention");
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
        JsonObject quantization = new JsonObject();
        quantization.addProperty("quant_method", "mxfp4");
        c.add("quantization_config", quantization);
        List<Tensor> t = new ArrayList<>();
        t.add(new Tensor("model.embed_tokens.weight", new long[] {v, h}, Kind.MATRIX));
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            attention(t, p + "self_attn.", h, q, kv, true);
            t.add(new Tensor(p + "self_attn.o_proj.bias", new long[] {h}, Kind.BIAS));
            t.add(new Tensor(p + "self_attn.sinks", new long[] {64}, Kind.BIAS));
            norms(t, p, h);
            t.add(new Tensor(p + "mlp.router.weight", new long[] {e, h}, Kind.ROUTER));
            t.add(new Tensor(p + "mlp.router.bias", new long[] {e}, Kind.BIAS));
            String x = p + "mlp.experts.";
            mxfp4(t, x + "gate_up_proj", e, 2 * i, h);
            t.add(new Tensor(x + "gate_up_proj_bias", new long[] {e, 2 * i}, Kind.BIAS));
            mxfp4(t, x + "down_proj", e, h, i);
            t.add(new Tensor(x + "down_proj_bias", new long[] {e, h}, Kind.BIAS));
        }
        tail(t, v, h);
        return new BenchShape(name, c, t);
    }

    /** An MXFP4 pair for the values {@code [e, rows, cols]}: 32 values per 16 bytes + 1 scale. */
    private static void mxfp4(List<Tensor> t, String key, int e, int rows, int cols) {
        t.add(new Tensor(key + "_blocks", new long[] {e, rows, cols / 32, 16}, Kind.MXFP4_BLOCKS));
        t.add(new Tensor(key + "_scales", new long[] {e, rows, cols / 32}, Kind.MXFP4_SCALES));
    }

    private static void attention(List<Tensor> t, String s, int h, int q, int kv, boolean bias) {
        t.add(new Tensor(s + "q_proj.weight", new long[] {q, h}, Kind.MATRIX));
        t.add(new Tensor(s + "k_proj.weight", new long[] {kv, h}, Kind.MATRIX));
        t.add(new Tensor(s + "v_proj.weight", new long[] {kv, h}, Kind.MATRIX));
        t.add(new Tensor(s + "o_proj.weight", new long[] {h, q}, Kind.MATRIX));
        if (bias) {
            t.add(new Tensor(s + "q_proj.bias", new long[] {q}, Kind.BIAS));
            t.add(new Tensor(s + "k_proj.bias", new long[] {kv}, Kind.BIAS));
            t.add(new Tensor(s + "v_proj.bias", new long[] {kv}, Kind.BIAS));
        }
    }

    private static void norms(List<Tensor> t, String p, int h) {
        t.add(new Tensor(p + "input_layernorm.weight", new long[] {h}, Kind.NORM));
        t.add(new Tensor(p + "post_attention_layernorm.weight", new long[] {h}, Kind.NORM));
    }

    private static void experts(
            List<Tensor> t, String p, int e, int h, int i, String gate, String up, String down) {
        for (int j = 0; j < e; j++) {
            t.add(new Tensor(p + j + "." + gate + ".weight", new long[] {i, h}, Kind.MATRIX));
            t.add(new Tensor(p + j + "." + up + ".weight", new long[] {i, h}, Kind.MATRIX));
            t.add(new Tensor(p + j + "." + down + ".weight", new long[] {h, i}, Kind.MATRIX));
        }
    }

    private static void tail(List<Tensor> t, int v, int h) {
        t.add(new Tensor("model.norm.weight", new long[] {h}, Kind.NORM));
        t.add(new Tensor("lm_head.weight", new long[] {v, h}, Kind.MATRIX));
    }
}
