package io.moezoo.engine.gguf;

import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.attention.MlaSpec;
import io.moezoo.blocks.spec.ClampedSwiGluExpertSpec;
import io.moezoo.blocks.spec.GroupLimitedSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.models.language.DecoderSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tensors of a decoder in both namings: each GGUF tensor with the Hugging Face keys it holds,
 * in the order and layouts the engine reads ({@code HfCheckpointLoader}'s keys). A GGUF tensor is
 * one key of the same row-major shape (ggml's ne is that shape reversed), or the per-expert keys of
 * one projection stacked along a new leading axis ({@code ffn_gate_exps} = {@code [E, I, H]}). For
 * {@code llama} and {@code granitemoe}, q/k rows (and biases) are permuted within each head for
 * llama.cpp's adjacent-pair RoPE: GGUF row {@code h·d + 2j + t} is HF row {@code h·d + t·d/2 + j}.
 * gpt-oss's experts are whole {@code [E, R, C]} keys in the split layout llama.cpp uses ({@link
 * GptOssExpertRows}).
 */
public final class GgufTensorPlan {

    /**
     * One GGUF tensor.
     *
     * @param gguf the GGUF tensor name
     * @param keys the Hugging Face keys it holds: one, or one per expert (stacked)
     * @param keyShape the row-major shape of each key
     * @param stacked whether the keys are stacked along a new leading axis
     * @param permuteHeads the heads whose rows are permuted (llama q/k), 0 for none
     * @param importable false for an output.weight that only duplicates tied embeddings
     */
    public record Entry(
            String gguf,
            List<String> keys,
            long[] keyShape,
            boolean stacked,
            int permuteHeads,
            boolean importable) {

        /**
         * Returns the row-major shape of the GGUF tensor.
         *
         * @return {@code [E] + keyShape} when stacked, else keyShape
         */
        public long[] shape() {
            if (!stacked) {
                return keyShape.clone();
            }
            long[] s = new long[keyShape.length + 1];
            s[0] = keys.size();
            System.arraycopy(keyShape, 0, s, 1, keyShape.length);
            return s;
        }

        /**
         * Whether the tensor stays float32 whatever the export type (as llama.cpp's converter keeps
         * them): 1-D tensors, norms, routers and biases.
         *
         * @return true to keep F32
         */
        public boolean keepF32() {
            return keyShape.length == 1
                    || gguf.endsWith("_norm.weight")
                    || !gguf.endsWith(".weight")
                    || gguf.contains("ffn_gate_inp");
        }

        @Override
        public String toString() {
            return gguf
                    + Arrays.toString(shape())
                    + " <- "
                    + (stacked ? keys.size() + " x " : "")
                    + keys.get(0);
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    private GgufTensorPlan() {}

    /**
     * Plans the tensors of a decoder.
     *
     * @param spec the decoder
     * @param architecture llama.cpp's architecture name ({@code llama}, {@code qwen2moe}, {@code
     *     olmoe}, {@code deepseek2}, {@code granitemoe}, {@code glm4moe}, {@code gpt-oss})
     * @return the plan
     * @throws IllegalArgumentException if the architecture is unknown
     */
    public static GgufTensorPlan of(DecoderSpec spec, String architecture) {
        GgufArchitecture arch;
        try {
            arch = GgufArchitectures.byName(architecture, "plan");
        } catch (io.moezoo.formats.MalformedCheckpointException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return of(spec, arch);
    }

    static GgufTensorPlan of(DecoderSpec spec, GgufArchitecture arch) {
        GgufTensorPlan plan = new GgufTensorPlan();
        long v = spec.vocabSize();
        long h = spec.hiddenSize();
        plan.add("token_embd.weight", "model.embed_tokens.weight", v, h);
        for (int i = 0; i < spec.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            String b = "blk." + i + ".";
            plan.add(b + "attn_norm.weight", p + "input_layernorm.weight", h);
            plan.add(b + arch.ffnNormName() + ".weight", p + "post_attention_layernorm.weight", h);
            if (spec.attention() instanceof AttentionSpec a) {
                plan.gqa(a, arch.permutesQk(), p + "self_attn.", b);
            } else {
                plan.mla((MlaSpec) spec.attention(), p + "self_attn.", b);
            }
            MoeLayerSpec moe = spec.ffn().get(i);
            if (moe == null) {
                long d = spec.denseIntermediateSize();
                plan.add(b + "ffn_gate.weight", p + "mlp.gate_proj.weight", d, h);
                plan.add(b + "ffn_up.weight", p + "mlp.up_proj.weight", d, h);
                plan.add(b + "ffn_down.weight", p + "mlp.down_proj.weight", h, d);
            } else {
                plan.moe(moe, h, arch, p, b);
            }
        }
        plan.add("output_norm.weight", "model.norm.weight", h);
        if (!spec.tieWordEmbeddings()) {
            plan.add("output.weight", "lm_head.weight", v, h);
        } else if (arch.outputRequired()) {
            plan.entries.add(
                    new Entry(
                            "output.weight",
                            List.of("model.embed_tokens.weight"),
                            new long[] {v, h},
                            false,
                            0,
                            false));
        }
        return plan;
    }

    private void add(String gguf, String key, long... shape) {
        entries.add(new Entry(gguf, List.of(key), shape, false, 0, true));
    }

    private void permuted(String gguf, String key, int heads, long... shape) {
        entries.add(new Entry(gguf, List.of(key), shape, false, heads, true));
    }

    private void gqa(AttentionSpec a, boolean permute, String p, String b) {
        long h = a.hiddenSize();
        long q = (long) a.numHeads() * a.headDim();
        long kv = (long) a.numKvHeads() * a.headDim();
        int qHeads = permute ? a.numHeads() : 0;
        int kHeads = permute ? a.numKvHeads() : 0;
        permuted(b + "attn_q.weight", p + "q_proj.weight", qHeads, q, h);
        permuted(b + "attn_k.weight", p + "k_proj.weight", kHeads, kv, h);
        add(b + "attn_v.weight", p + "v_proj.weight", kv, h);
        add(b + "attn_output.weight", p + "o_proj.weight", h, q);
        if (a.qkvBias()) {
            permuted(b + "attn_q.bias", p + "q_proj.bias", qHeads, q);
            permuted(b + "attn_k.bias", p + "k_proj.bias", kHeads, kv);
            add(b + "attn_v.bias", p + "v_proj.bias", kv);
        }
        if (a.oBias()) {
            add(b + "attn_output.bias", p + "o_proj.bias", h);
        }
        if (a.sinks()) {
            add(b + "attn_sinks.weight", p + "sinks", a.numHeads());
        }
        switch (a.qkNorm()) {
            case FULL -> {
                add(b + "attn_q_norm.weight", p + "q_norm.weight", q);
                add(b + "attn_k_norm.weight", p + "k_norm.weight", kv);
            }
            case PER_HEAD -> {
                add(b + "attn_q_norm.weight", p + "q_norm.weight", a.headDim());
                add(b + "attn_k_norm.weight", p + "k_norm.weight", a.headDim());
            }
            default -> {}
        }
    }

    private void mla(MlaSpec a, String p, String b) {
        long h = a.hiddenSize();
        long q = (long) a.numHeads() * a.qkHeadDim();
        if (a.qLoraRank() > 0) {
            add(b + "attn_q_a.weight", p + "q_a_proj.weight", a.qLoraRank(), h);
            add(b + "attn_q_a_norm.weight", p + "q_a_layernorm.weight", a.qLoraRank());
            add(b + "attn_q_b.weight", p + "q_b_proj.weight", q, a.qLoraRank());
        } else {
            add(b + "attn_q.weight", p + "q_proj.weight", q, h);
        }
        add(
                b + "attn_kv_a_mqa.weight",
                p + "kv_a_proj_with_mqa.weight",
                a.kvLoraRank() + a.qkRopeHeadDim(),
                h);
        add(b + "attn_kv_a_norm.weight", p + "kv_a_layernorm.weight", a.kvLoraRank());
        add(
                b + "attn_kv_b.weight",
                p + "kv_b_proj.weight",
                (long) a.numHeads() * (a.qkNopeHeadDim() + a.vHeadDim()),
                a.kvLoraRank());
        add(b + "attn_output.weight", p + "o_proj.weight", h, (long) a.numHeads() * a.vHeadDim());
    }

    private void moe(MoeLayerSpec moe, long h, GgufArchitecture arch, String p, String b) {
        if (moe.experts() instanceof ClampedSwiGluExpertSpec) {
            gptOss(moe, h, p + "mlp.", b);
            return;
        }
        String block = p + arch.moeBlock();
        int e = moe.experts().numExperts();
        long i = moe.experts().intermediateSize();
        List<String> names = arch.expertNames();
        add(b + "ffn_gate_inp.weight", block + arch.routerName(), moe.router().numChoices(), h);
        stack(b + "ffn_gate_exps.weight", block, names.get(0), e, i, h);
        stack(b + "ffn_up_exps.weight", block, names.get(1), e, i, h);
        stack(b + "ffn_down_exps.weight", block, names.get(2), e, h, i);
        if (moe.router() instanceof GroupLimitedSpec g && g.correctionBias()) {
            add(b + "exp_probs_b.bias", block + "gate.e_score_correction_bias", e);
        }
        if (moe.sharedExpert() != null) {
            long s = moe.sharedExpert().intermediateSize();
            String shared =
                    block + (moe.sharedExpert().gated() ? "shared_expert." : "shared_experts.");
            add(b + "ffn_gate_shexp.weight", shared + "gate_proj.weight", s, h);
            add(b + "ffn_up_shexp.weight", shared + "up_proj.weight", s, h);
            add(b + "ffn_down_shexp.weight", shared + "down_proj.weight", h, s);
            if (moe.sharedExpert().gated()) {
                add(b + "ffn_gate_inp_shexp.weight", block + "shared_expert_gate.weight", 1, h);
            }
        }
    }

    /**
     * gpt-oss's router (with its bias) and experts as llama.cpp's converter writes them: gate and
     * up split out of the interleaved {@code gate_up_proj} (the keys {@code experts.gate_proj},
     * {@code experts.up_proj} and their {@code _bias} name that split, see {@link
     * GptOssExpertRows}), down as {@code [E, H, I]}, each with its per-expert bias.
     */
    private void gptOss(MoeLayerSpec moe, long h, String block, String b) {
        long e = moe.experts().numExperts();
        long i = moe.experts().intermediateSize();
        String x = block + "experts.";
        add(b + "ffn_gate_inp.weight", block + "router.weight", e, h);
        add(b + "ffn_gate_inp.bias", block + "router.bias", e);
        add(b + "ffn_gate_exps.weight", x + GptOssExpertRows.GATE, e, i, h);
        add(b + "ffn_gate_exps.bias", x + GptOssExpertRows.GATE_BIAS, e, i);
        add(b + "ffn_up_exps.weight", x + GptOssExpertRows.UP, e, i, h);
        add(b + "ffn_up_exps.bias", x + GptOssExpertRows.UP_BIAS, e, i);
        add(b + "ffn_down_exps.weight", x + GptOssExpertRows.DOWN, e, h, i);
        add(b + "ffn_down_exps.bias", x + "down_proj_bias", e, h);
    }

    private void stack(String gguf, String block, String name, int experts, long rows, long cols) {
        List<String> keys = new ArrayList<>();
        for (int j = 0; j < experts; j++) {
            keys.add(block + "experts." + j + "." + name + ".weight");
        }
        entries.add(new Entry(gguf, keys, new long[] {rows, cols}, true, 0, true));
    }

    /**
     * Returns the GGUF tensors in file order.
     *
     * @return the entries
     */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * Returns the row a permuted GGUF tensor stores at {@code ggufRow}, as an HF row.
     *
     * @param ggufRow the GGUF row
     * @param headDim the rows per head
     * @return the HF row
     */
    public static int hfRow(int ggufRow, int headDim) {
        int head = ggufRow / headDim;
        int within = ggufRow % headDim;
        return head * headDim + (within % 2) * (headDim / 2) + within / 2;
    }

    /**
     * Returns the GGUF row holding HF row {@code hfRow} of a permuted tensor.
     *
     * @param hfRow the HF row
     * @param headDim the rows per head
     * @return the GGUF row
     */
    public static int ggufRow(int hfRow, int headDim) {
        int head = hfRow / headDim;
        int within = hfRow % headDim;
        int half = headDim / 2;
        return head * headDim + 2 * (within % half) + within / half;
    }
}
