#!/usr/bin/env python3
# Logits-parity fixture generator for MoE Zoo's DeepSeek-V2 / DeepSeek-V3 checkpoint import.
#
# A plain-torch (float32, eval mode, no dropout, no KV cache) transcription of the
# Hugging Face decoder forward pass for model_type "deepseek_v2" (transformers
# models/deepseek_v2/modeling_deepseek_v2.py, hub remote-code MoEGate) and "deepseek_v3"
# (models/deepseek_v3/modeling_deepseek_v3.py), cross-checked against a second transcription of
# deepseek-ai/DeepSeek-V3 inference/model.py @1ea5a1a (MLA in its "absorb" form, complex RoPE, Gate).
# It builds tiny seeded random checkpoints, writes them in hub layout (per-expert 2-D keys) as
# hand-written safetensors (F32) and records the prefill logits. Conventions follow make_fixtures.py;
# generic helpers (safetensors, RMSNorm, SwiGLU, fixture writers) are in fixture_common.py.
#
# Run from the repository root with the Debian python (apt-get install python3-torch python3-numpy):
#     /usr/bin/python3 hf/src/test/python/make_deepseek_fixtures.py
# Options (for experiments only; the checked-in fixtures use the defaults):
#     --out DIR                 write somewhere else than hf/src/test/resources/fixtures
#     --qk-rope-head-dim N      override qk_rope_head_dim (default 4; seeds are then searched afresh)
#
# Output (hf/src/test/resources/fixtures/):
#     deepseek_v2/   config.json, model.safetensors (F32), expected.json
#     deepseek_v3/   config.json, model.safetensors (F32), expected.json
# expected.json = {"input_ids": [7 ids], "logits": [[64 floats] per position]}; every float is the exact
# float32 value written as a decimal that round-trips to it.
#
# Semantics transcribed (see also /work/shared/reference/moe-reference-semantics.md section 1.3):
#   * Decoder layer: h = x + MLA(RMSNorm(x)); y = h + FFN(RMSNorm(h)); final model.norm; lm_head.
#     RMSNorm: weight * x * rsqrt(mean(x^2) + eps), eps = rms_norm_eps for every norm (HF passes no eps
#     to q_a_layernorm / kv_a_layernorm, whose default is 1e-6 = rms_norm_eps here).
#   * FFN: layer n is MoE iff n >= first_k_dense_replace and n % moe_layer_freq == 0 (hub remote code;
#     HF native ignores moe_layer_freq, identical for moe_layer_freq = 1); dense layers are a SwiGLU of
#     intermediate_size. MoE: y = sum_j w_j SwiGLU_{idx_j}(x) + SwiGLU_shared(x); the shared MLP has
#     width moe_intermediate_size * n_shared_experts and no gate.
#   * MLA: q = q_proj(x) (q_lora_rank null) or q_b_proj(RMSNorm(q_a_proj(x))); per head
#     q = [q_nope (qk_nope_head_dim) | q_pe (qk_rope_head_dim)]. kv_a_proj_with_mqa(x) =
#     [c (kv_lora_rank) | k_pe (qk_rope_head_dim, ONE head shared by all heads)];
#     kv_b_proj(RMSNorm(c)) per head = [k_nope (qk_nope_head_dim) | v (v_head_dim)].
#     query = cat(q_nope, rope(q_pe)), key = cat(k_nope, rope(k_pe) broadcast to all heads);
#     causal softmax (float32) of query.key * scale; scale = qk_head_dim^-0.5, times
#     yarn_get_mscale(factor, mscale_all_dim)^2 when rope_scaling has a non-zero mscale_all_dim
#     (HF DeepseekV3Attention; DeepSeek's model.py uses mscale instead, equal in these fixtures).
#     o_proj over the heads' v outputs [S, nH * v_head_dim].
#   * RoPE on q_pe / k_pe only, DeepSeek pairing: rotation pairs are (x[2i], x[2i+1]) with frequency
#     inv_freq[i] (complex view_as_complex form in DeepSeek's model.py and in HF deepseek_v2; HF
#     deepseek_v3 with rope_interleave=True de-interleaves x.view(d/2, 2).transpose(-1, -2) and then
#     applies rotate_half with cos = cat(freqs, freqs) -- same dot products). Not the Llama
#     rotate_half pairing (i, i + d/2) on the raw projection output.
#   * YaRN (rope_scaling type "yarn", HF _compute_yarn_parameters == DeepSeek precompute_freqs_cis):
#       pos_freqs = base^(arange(0, d, 2) / d); extra = 1 / pos_freqs; inter = 1 / (factor * pos_freqs)
#       corr_dim(r) = d * ln(orig_max_pos / (r * 2 pi)) / (2 ln base)
#       low = max(floor(corr_dim(beta_fast)), 0); high = min(ceil(corr_dim(beta_slow)), d - 1)
#       ramp = clamp((arange(d/2) - low) / (high - low), 0, 1)   (high += 0.001 if low == high)
#       inv_freq = inter * ramp + extra * (1 - ramp)
#       cos/sin multiplied by attention_factor = mscale(factor, mscale) / mscale(factor, mscale_all_dim),
#       mscale(s, m) = 1 if s <= 1 else 0.1 * m * ln(s) + 1.
#   * deepseek_v2 router (softmax, group_limited_greedy): p = softmax(x Wg^T) over all experts;
#     group score = max of p within each of n_group groups; keep topk_group groups; experts of the
#     other groups get score 0 (HF) -- -inf in DeepSeek's Gate; identical here because the kept groups
#     hold topk_group * E/n_group = 2 >= k strictly positive probabilities; w, idx = topk(masked, k);
#     norm_topk_prob false -> w *= routed_scaling_factor (V2 scales only when not renormalising).
#   * deepseek_v3 router (sigmoid, noaux_tc): s = sigmoid(x Wg^T); s' = s + e_score_correction_bias
#     (selection only); group score = sum of the top-2 s' in each group; keep topk_group groups;
#     experts of dropped groups -> -inf (DeepSeek's Gate and HF after PR #45441; older HF used 0.0);
#     idx = topk(s', k); w = s[idx] (UNBIASED); w /= (sum(w) + 1e-20); w *= routed_scaling_factor.
#   * RoPE WIDTH note: the fixtures use qk_rope_head_dim = 4. With 2 there is a single rotation pair,
#     so interleaved and half-split pairing are the same rotation, and the YaRN blend keeps the only
#     frequency (1.0) unchanged: neither convention would be tested. With 4 (theta 1e4, original 16)
#     inv_freq = [1, 0.01] becomes [1, 0.01 / 4] under YaRN factor 4 (ramp = [0, 1]).
#   * GROUP LIMIT note: the deepseek_v2 fixture uses topk_group = 1 (deepseek_v3: 2). With max-scored
#     groups, k = 2 and topk_group = 2 the group limit can never change a selection (the best expert's
#     group and the second-best expert's group are always the two best groups), so the fixture could
#     not tell group_limited_greedy from greedy. Released DeepSeek-V2 also has k > topk_group (6 > 3).
#
# The script is deterministic (fixed seeds, one thread) and checks itself before writing anything:
# safetensors round trip, RoPE de-interleave form == complex form, YaRN factor 1 == plain RoPE, HF and
# DeepSeek YaRN formulas agree, router == independent transcription of DeepSeek's Gate, k = E MoE ==
# dense mixture, expert loop == dense masked mixture, whole-model HF-style float32 forward ==
# DeepSeek-style (absorbed MLA, complex RoPE) float64 forward, prefix (causal) invariance, and
# routing margins (group and expert top-k gaps) so that selections cannot flip under rounding.

import argparse
import copy
import math
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # fixture_common.py lives next to this script
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from fixture_common import (  # noqa: E402
    INIT_STD,
    quantize_fp8,
    write_expected,
    write_json,
    write_safetensors,
    all_experts_hit,
    check,
    check_pitfalls,
    check_prefix_invariance,
    linear,
    max_diff,
    rms_norm,
    rotate_half,
    search_seed,
    seeded_weights,
    setup_torch,
    sha_dir,
    swiglu_mlp,
    topk_gap,
    write_fixture,
)

DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "fixtures"))

# weights ~ N(0, INIT_STD = 0.2), norm weights 1 + N(0, 0.2) (fixture_common.seeded_weights)
BIAS_STD = 0.1  # e_score_correction_bias ~ N(0, 0.1)
# Minimum gap (per token, per MoE layer) between the last kept and the first dropped group score and
# between the k-th and (k+1)-th selection score. Seeds below it are skipped (deterministically).
MIN_GAP = 5e-3
SEED_TRIES = 200000

# --------------------------------------------------------------------------------------------------
# Configs (HF config.json field names)
# --------------------------------------------------------------------------------------------------

COMMON = {
    "vocab_size": 64,
    "hidden_size": 16,
    "intermediate_size": 24,
    "moe_intermediate_size": 8,
    "num_hidden_layers": 3,
    "num_attention_heads": 4,
    "num_key_value_heads": 4,
    "n_shared_experts": 2,
    "n_routed_experts": 8,
    "num_experts_per_tok": 2,
    "n_group": 4,
    "topk_group": 2,
    "first_k_dense_replace": 1,
    "moe_layer_freq": 1,
    "kv_lora_rank": 6,
    "qk_nope_head_dim": 4,
    "qk_rope_head_dim": 4,  # see the note on RoPE WIDTH above
    "v_head_dim": 4,
    "hidden_act": "silu",
    "max_position_embeddings": 64,
    "rms_norm_eps": 1e-6,
    "rope_theta": 10000.0,
    "attention_bias": False,
    "attention_dropout": 0.0,
    "tie_word_embeddings": False,
    "initializer_range": INIT_STD,
    "aux_loss_alpha": 0.001,
    "seq_aux": True,
    "use_cache": True,
    "bos_token_id": 0,
    "eos_token_id": 1,
    "torch_dtype": "float32",
}

DEEPSEEK_V2 = dict(
    COMMON,
    model_type="deepseek_v2",
    architectures=["DeepseekV2ForCausalLM"],
    q_lora_rank=None,
    topk_group=1,  # see the note on GROUP LIMIT below
    scoring_func="softmax",
    topk_method="group_limited_greedy",
    norm_topk_prob=False,
    routed_scaling_factor=2.0,
    rope_scaling=None,
)

DEEPSEEK_V3 = dict(
    COMMON,
    model_type="deepseek_v3",
    architectures=["DeepseekV3ForCausalLM"],
    q_lora_rank=8,
    scoring_func="sigmoid",
    topk_method="noaux_tc",
    norm_topk_prob=True,
    routed_scaling_factor=2.5,
    rope_interleave=True,
    rope_scaling={
        "type": "yarn",
        "factor": 4.0,
        "original_max_position_embeddings": 16,
        "beta_fast": 32,
        "beta_slow": 1,
        "mscale": 1.0,
        "mscale_all_dim": 1.0,
    },
)

# Seeds passing seed_ok() with the widest margins (smallest of group and expert gap), picked from an
# offline scan with exactly these criteria and defaults (deepseek_v2: seeds 0..3000, about 1 in 35
# passes; deepseek_v3: seeds 0..80000, about 1 in 8000 passes, because 7 tokens x top-2 rarely reach
# all 8 experts in both MoE layers). build() scans on from here, so another torch build with a
# different random stream (or --qk-rope-head-dim) still finds a valid seed, only more slowly.
BASE_SEEDS = {"deepseek_v2": 1536, "deepseek_v3": 23693}


def qk_head_dim(cfg):
    return cfg["qk_nope_head_dim"] + cfg["qk_rope_head_dim"]


def is_moe_layer(cfg, n):
    return (
        cfg["n_routed_experts"] is not None
        and n >= cfg["first_k_dense_replace"]
        and n % cfg["moe_layer_freq"] == 0
    )


def has_bias(cfg):
    return cfg["topk_method"] == "noaux_tc"


# --------------------------------------------------------------------------------------------------
# Parameter layout (hub key names, nn.Linear [out, in] shapes) and seeded initialisation
# --------------------------------------------------------------------------------------------------


def param_shapes(cfg):
    """Ordered list of (key, shape, kind); kind 'w' ~ N(0, 0.2), 'norm' ~ 1 + N(0, 0.2), 'bias' ~ N(0, 0.1)."""
    H, V, L = cfg["hidden_size"], cfg["vocab_size"], cfg["num_hidden_layers"]
    nh, dn, dr, dv = cfg["num_attention_heads"], cfg["qk_nope_head_dim"], cfg["qk_rope_head_dim"], cfg["v_head_dim"]
    r, qr = cfg["kv_lora_rank"], cfg["q_lora_rank"]
    E, I, Im = cfg["n_routed_experts"], cfg["intermediate_size"], cfg["moe_intermediate_size"]
    S = Im * cfg["n_shared_experts"]
    out = [("model.embed_tokens.weight", [V, H], "w")]
    for n in range(L):
        p = f"model.layers.{n}."
        a = p + "self_attn."
        out.append((p + "input_layernorm.weight", [H], "norm"))
        if qr is None:
            out.append((a + "q_proj.weight", [nh * (dn + dr), H], "w"))
        else:
            out.append((a + "q_a_proj.weight", [qr, H], "w"))
            out.append((a + "q_a_layernorm.weight", [qr], "norm"))
            out.append((a + "q_b_proj.weight", [nh * (dn + dr), qr], "w"))
        out.append((a + "kv_a_proj_with_mqa.weight", [r + dr, H], "w"))
        out.append((a + "kv_a_layernorm.weight", [r], "norm"))
        out.append((a + "kv_b_proj.weight", [nh * (dn + dv), r], "w"))
        out.append((a + "o_proj.weight", [H, nh * dv], "w"))
        out.append((p + "post_attention_layernorm.weight", [H], "norm"))
        m = p + "mlp."
        if is_moe_layer(cfg, n):
            out.append((m + "gate.weight", [E, H], "w"))
            if has_bias(cfg):
                out.append((m + "gate.e_score_correction_bias", [E], "bias"))
            for j in range(E):
                out.append((m + f"experts.{j}.gate_proj.weight", [Im, H], "w"))
                out.append((m + f"experts.{j}.up_proj.weight", [Im, H], "w"))
                out.append((m + f"experts.{j}.down_proj.weight", [H, Im], "w"))
            out.append((m + "shared_experts.gate_proj.weight", [S, H], "w"))
            out.append((m + "shared_experts.up_proj.weight", [S, H], "w"))
            out.append((m + "shared_experts.down_proj.weight", [H, S], "w"))
        else:
            out.append((m + "gate_proj.weight", [I, H], "w"))
            out.append((m + "up_proj.weight", [I, H], "w"))
            out.append((m + "down_proj.weight", [H, I], "w"))
    out.append(("model.norm.weight", [H], "norm"))
    out.append(("lm_head.weight", [V, H], "w"))
    return out


def init_weights(cfg, seed):
    return seeded_weights(param_shapes(cfg), cfg["vocab_size"], seed, bias_std=BIAS_STD)


# --------------------------------------------------------------------------------------------------
# RoPE / YaRN (HF form)
# --------------------------------------------------------------------------------------------------


def yarn_get_mscale(scale=1.0, mscale=1.0):
    if scale <= 1:
        return 1.0
    return 0.1 * mscale * math.log(scale) + 1.0


def default_inv_freq(dim, base):
    return 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))


def yarn_correction_range(dim, base, orig, beta_fast, beta_slow):
    def corr_dim(num_rotations):
        return (dim * math.log(orig / (num_rotations * 2 * math.pi))) / (2 * math.log(base))

    low = math.floor(corr_dim(beta_fast))
    high = math.ceil(corr_dim(beta_slow))
    return max(low, 0), min(high, dim - 1)


def linear_ramp(lo, hi, n):
    if lo == hi:
        hi += 0.001  # prevent singularity
    return torch.clamp((torch.arange(n, dtype=torch.float32) - lo) / (hi - lo), 0, 1)


def yarn_inv_freq(dim, base, rs):
    """HF _compute_yarn_parameters / DeepseekV3YarnRotaryEmbedding: (inv_freq [d/2] f32, attention_factor)."""
    factor = float(rs["factor"])
    pos_freqs = base ** (torch.arange(0, dim, 2).float() / dim)
    inv_freq_extrapolation = 1.0 / pos_freqs
    inv_freq_interpolation = 1.0 / (factor * pos_freqs)
    low, high = yarn_correction_range(
        dim, base, rs["original_max_position_embeddings"], rs.get("beta_fast") or 32, rs.get("beta_slow") or 1
    )
    extrapolation_factor = 1 - linear_ramp(low, high, dim // 2)
    inv_freq = inv_freq_interpolation * (1 - extrapolation_factor) + inv_freq_extrapolation * extrapolation_factor
    mscale, mscale_all_dim = rs.get("mscale"), rs.get("mscale_all_dim")
    if mscale and mscale_all_dim:
        attention_factor = float(yarn_get_mscale(factor, mscale) / yarn_get_mscale(factor, mscale_all_dim))
    else:
        attention_factor = yarn_get_mscale(factor)
    return inv_freq, attention_factor


def rope_params(cfg, variant=()):
    dim, base = cfg["qk_rope_head_dim"], cfg["rope_theta"]
    rs = cfg.get("rope_scaling")
    if rs is None:
        return default_inv_freq(dim, base), 1.0
    assert rs.get("type", rs.get("rope_type")) == "yarn", rs
    inv, att = yarn_inv_freq(dim, base, rs)
    # pitfall variants (not part of the reference)
    if "no_yarn_freq" in variant:  # YaRN only as an attention scale, plain RoPE frequencies
        inv = default_inv_freq(dim, base)
    if "yarn_ramp_inverted" in variant:  # interpolate the high and keep the low frequencies
        extra = default_inv_freq(dim, base)
        inv = extra + extra / rs["factor"] - inv
    if "cos_sin_mscale" in variant:  # cos/sin scaled by mscale(factor) (HF's fallback without mscale keys)
        att = yarn_get_mscale(rs["factor"])
    return inv, att


def rope_cos_sin(cfg, seq_len, dtype, variant=()):
    inv_freq, att = rope_params(cfg, variant)
    pos = torch.arange(seq_len, dtype=torch.int64).float()
    freqs = torch.outer(pos, inv_freq)  # [S, d/2], float32
    emb = torch.cat((freqs, freqs), dim=-1)  # [S, d]
    return (emb.cos() * att).to(dtype), (emb.sin() * att).to(dtype)


def softmax_scale(cfg, variant=()):
    scale = qk_head_dim(cfg) ** (-0.5)
    rs = cfg.get("rope_scaling")
    if rs is not None and "no_yarn_mscale" not in variant:
        mscale_all_dim = rs.get("mscale_all_dim", 0)
        if mscale_all_dim:
            m = yarn_get_mscale(rs["factor"], mscale_all_dim)
            scale = scale * m * (1.0 if "mscale_once" in variant else m)
    return scale


def apply_rope(x, cos, sin, variant=()):
    # x: [heads, S, d]; cos/sin: [S, d]. HF deepseek_v3 apply_rotary_pos_emb_interleave: de-interleave
    # (x0, x1, x2, x3, ...) -> (x0, x2, ..., x1, x3, ...), then rotate_half.
    if "half_split_rope" not in variant:  # the pitfall variant skips the de-interleave (Llama pairing)
        h, s, d = x.shape
        x = x.view(h, s, d // 2, 2).transpose(-1, -2).reshape(h, s, d)
    return x * cos + rotate_half(x) * sin


# --------------------------------------------------------------------------------------------------
# Forward pass (HF form; one sequence, no batch dim; x is [S, H])
# --------------------------------------------------------------------------------------------------


def mla(cfg, W, a, x, cos, sin, variant):
    S = x.shape[0]
    nh, dn, dr, dv = cfg["num_attention_heads"], cfg["qk_nope_head_dim"], cfg["qk_rope_head_dim"], cfg["v_head_dim"]
    r, eps = cfg["kv_lora_rank"], cfg["rms_norm_eps"]
    if cfg["q_lora_rank"] is None:
        q = linear(x, W, a + "q_proj")
    else:
        qa = linear(x, W, a + "q_a_proj")
        if "no_q_norm" not in variant:
            qa = rms_norm(qa, W[a + "q_a_layernorm.weight"], eps)
        q = linear(qa, W, a + "q_b_proj")
    q = q.view(S, nh, dn + dr).transpose(0, 1)  # [nh, S, dn+dr]
    q_nope, q_pe = torch.split(q, [dn, dr], dim=-1)
    ckv = linear(x, W, a + "kv_a_proj_with_mqa")  # [S, r+dr]
    c, k_pe = torch.split(ckv, [r, dr], dim=-1)
    if "no_kv_norm" not in variant:
        c = rms_norm(c, W[a + "kv_a_layernorm.weight"], eps)
    kv = linear(c, W, a + "kv_b_proj").view(S, nh, dn + dv).transpose(0, 1)  # [nh, S, dn+dv]
    k_nope, v = torch.split(kv, [dn, dv], dim=-1)
    k_pe = k_pe.reshape(1, S, dr)
    q_pe = apply_rope(q_pe, cos, sin, variant)
    k_pe = apply_rope(k_pe, cos, sin, variant)
    k_pe = k_pe.expand(nh, S, dr)
    query = torch.cat((q_nope, q_pe), dim=-1)
    key = torch.cat((k_nope, k_pe), dim=-1)
    scores = (query @ key.transpose(-1, -2)) * softmax_scale(cfg, variant)  # [nh, S, S]
    causal = torch.ones(S, S, dtype=torch.bool).triu(1)
    scores = scores.masked_fill(causal, float("-inf"))
    probs = torch.softmax(scores, dim=-1)
    out = (probs @ v).transpose(0, 1).reshape(S, nh * dv)
    return linear(out, W, a + "o_proj")


def route(cfg, W, p, x, variant=(), k=None, topk_group=None, stats=None):
    """HF-form router: returns (top_w [T,k], top_i [T,k])."""
    E, G = cfg["n_routed_experts"], cfg["n_group"]
    k = cfg["num_experts_per_tok"] if k is None else k
    tg = cfg["topk_group"] if topk_group is None else topk_group
    if "no_group_limit" in variant:
        tg = G
    T = x.shape[0]
    logits = x @ W[p + "mlp.gate.weight"].t()
    if cfg["scoring_func"] == "softmax":
        scores = torch.softmax(logits, dim=-1)
    else:
        scores = torch.sigmoid(logits)
    choice = scores
    if has_bias(cfg) and "no_bias_selection" not in variant:
        choice = scores + W[p + "mlp.gate.e_score_correction_bias"][None, :]
    grouped = choice.view(T, G, E // G)
    sum2 = cfg["topk_method"] == "noaux_tc"
    if ("group_max" in variant and sum2) or ("group_sum2" in variant and not sum2):  # pitfall variants
        sum2 = not sum2
    if sum2:
        group_scores = grouped.topk(2, dim=-1)[0].sum(dim=-1)
    else:  # group_limited_greedy: max within the group
        group_scores = grouped.max(dim=-1).values
    group_idx = torch.topk(group_scores, k=tg, dim=-1)[1]
    group_mask = torch.zeros_like(group_scores).scatter(1, group_idx, 1.0)
    score_mask = group_mask.unsqueeze(-1).expand(T, G, E // G).reshape(T, E).bool()
    if cfg["topk_method"] == "noaux_tc":
        fill = 0.0 if "mask_zero" in variant else float("-inf")
    else:
        fill = float("-inf") if "mask_neg_inf" in variant else 0.0
    masked = choice.masked_fill(~score_mask, fill)
    top_v, top_i = torch.topk(masked, k=k, dim=-1)  # sorted, descending
    if stats is not None and k < E:
        gap_g = topk_gap(group_scores, tg) if tg < G else 1.0
        stats["group_gap"] = min(stats.get("group_gap", 1.0), gap_g)
        stats["expert_gap"] = min(stats.get("expert_gap", 1.0), topk_gap(masked, k))
        stats.setdefault("routes", []).append(top_i.tolist())
        # routing that would result without the group limit / without the bias (fixture strength)
        free = torch.topk(choice, k=k, dim=-1)[1]
        stats["group_limit_changes"] = stats.get("group_limit_changes", 0) + int(
            sum(set(a) != set(b) for a, b in zip(free.tolist(), top_i.tolist()))
        )
        if has_bias(cfg):
            unb = scores.masked_fill(~score_mask, float("-inf"))
            ub = torch.topk(unb, k=k, dim=-1)[1]
            stats["bias_changes"] = stats.get("bias_changes", 0) + int(
                sum(set(a) != set(b) for a, b in zip(ub.tolist(), top_i.tolist()))
            )
    if "biased_weights" in variant:
        top_w = top_v
    else:
        top_w = scores.gather(1, top_i)  # unbiased scores of the chosen experts
    renorm = bool(cfg["norm_topk_prob"]) != ("flip_renorm" in variant)
    if cfg["topk_method"] == "noaux_tc":
        if renorm:
            top_w = top_w / (top_w.sum(dim=-1, keepdim=True) + 1e-20)
        if "no_routed_scale" not in variant:
            top_w = top_w * cfg["routed_scaling_factor"]
    else:  # V2 MoEGate: renormalise OR scale
        if k > 1 and renorm:
            top_w = top_w / (top_w.sum(dim=-1, keepdim=True) + 1e-20)
        elif "no_routed_scale" not in variant:
            top_w = top_w * cfg["routed_scaling_factor"]
    return top_w, top_i


def moe(cfg, W, p, x, variant=(), stats=None, k=None, topk_group=None):
    E = cfg["n_routed_experts"]
    top_w, top_i = route(cfg, W, p, x, variant, k, topk_group, stats)
    out = torch.zeros_like(x)
    for e in range(E):  # HF eager loop: experts in index order, index_add weight * out
        tok, slot = torch.where(top_i == e)
        if tok.numel() == 0:
            continue
        y = swiglu_mlp(x[tok], W, p + f"mlp.experts.{e}.")
        out.index_add_(0, tok, y * top_w[tok, slot, None])
    return out + swiglu_mlp(x, W, p + "mlp.shared_experts.")


def forward(cfg, W, input_ids, variant=(), stats=None):
    dtype = W["model.embed_tokens.weight"].dtype
    eps = cfg["rms_norm_eps"]
    S = input_ids.shape[0]
    cos, sin = rope_cos_sin(cfg, S, dtype, variant)
    h = W["model.embed_tokens.weight"][input_ids]
    for n in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{n}."
        h = h + mla(cfg, W, p + "self_attn.", rms_norm(h, W[p + "input_layernorm.weight"], eps), cos, sin, variant)
        x = rms_norm(h, W[p + "post_attention_layernorm.weight"], eps)
        h = h + (moe(cfg, W, p, x, variant, stats) if is_moe_layer(cfg, n) else swiglu_mlp(x, W, p + "mlp."))
    h = rms_norm(h, W["model.norm.weight"], eps)
    return h @ W["lm_head.weight"].t()  # [S, V]


# --------------------------------------------------------------------------------------------------
# Second transcription: deepseek-ai/DeepSeek-V3 inference/model.py @1ea5a1a (float64 in the checks)
# --------------------------------------------------------------------------------------------------


def ds_freqs_cis(cfg, seqlen, dtype):
    """precompute_freqs_cis: YaRN only if max_seq_len > original_seq_len (max_position_embeddings here)."""
    dim, base = cfg["qk_rope_head_dim"], cfg["rope_theta"]
    freqs = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.float32) / dim))
    rs = cfg.get("rope_scaling")
    if rs is not None and cfg["max_position_embeddings"] > rs["original_max_position_embeddings"]:
        low, high = yarn_correction_range(dim, base, rs["original_max_position_embeddings"], rs["beta_fast"], rs["beta_slow"])
        smooth = 1 - linear_ramp(low, high, dim // 2)
        freqs = freqs / rs["factor"] * (1 - smooth) + freqs * smooth
    t = torch.arange(seqlen)
    freqs = torch.outer(t, freqs).to(dtype)
    return torch.polar(torch.ones_like(freqs), freqs)  # [S, d/2] complex


def ds_apply_rotary_emb(x, freqs_cis):
    # x: [S, heads, d]; pairs (x[2i], x[2i+1]) as complex numbers; output keeps the interleaved order
    xc = torch.view_as_complex(x.reshape(*x.shape[:-1], -1, 2).contiguous())
    y = torch.view_as_real(xc * freqs_cis[:, None, :]).flatten(2)
    return y


def ds_softmax_scale(cfg):
    scale = qk_head_dim(cfg) ** -0.5
    rs = cfg.get("rope_scaling")
    if rs is not None and cfg["max_position_embeddings"] > rs["original_max_position_embeddings"]:
        mscale = 0.1 * rs["mscale"] * math.log(rs["factor"]) + 1.0
        scale = scale * mscale * mscale
    return scale


def ds_rmsnorm(x, w, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def ds_mla_absorb(cfg, W, a, x, freqs_cis):
    """MLA.forward with attn_impl = "absorb" (the default), bsz = 1, start_pos = 0."""
    S = x.shape[0]
    nh, dn, dr, dv = cfg["num_attention_heads"], cfg["qk_nope_head_dim"], cfg["qk_rope_head_dim"], cfg["v_head_dim"]
    r, eps = cfg["kv_lora_rank"], cfg["rms_norm_eps"]
    if cfg["q_lora_rank"] is None:
        q = x @ W[a + "q_proj.weight"].t()
    else:
        q = ds_rmsnorm(x @ W[a + "q_a_proj.weight"].t(), W[a + "q_a_layernorm.weight"], eps) @ W[a + "q_b_proj.weight"].t()
    q = q.view(S, nh, dn + dr)
    q_nope, q_pe = torch.split(q, [dn, dr], dim=-1)
    q_pe = ds_apply_rotary_emb(q_pe, freqs_cis)
    kv = x @ W[a + "kv_a_proj_with_mqa.weight"].t()
    kv, k_pe = torch.split(kv, [r, dr], dim=-1)
    k_pe = ds_apply_rotary_emb(k_pe.unsqueeze(1), freqs_cis).squeeze(1)  # [S, dr]
    wkv_b = W[a + "kv_b_proj.weight"].view(nh, dn + dv, r)
    q_nope = torch.einsum("shd,hdc->shc", q_nope, wkv_b[:, :dn])
    kv_cache = ds_rmsnorm(kv, W[a + "kv_a_layernorm.weight"], eps)
    scores = (torch.einsum("shc,tc->sht", q_nope, kv_cache) + torch.einsum("shr,tr->sht", q_pe, k_pe)) * ds_softmax_scale(cfg)
    mask = torch.full((S, S), float("-inf"), dtype=x.dtype).triu_(1)
    scores = scores + mask.unsqueeze(1)
    scores = scores.softmax(dim=-1)
    o = torch.einsum("sht,tc->shc", scores, kv_cache)
    o = torch.einsum("shc,hdc->shd", o, wkv_b[:, -dv:])
    return o.flatten(1) @ W[a + "o_proj.weight"].t()


def ds_gate(cfg, W, p, x, k=None, topk_groups=None):
    """Gate.forward @1ea5a1a (bias present iff the checkpoint has e_score_correction_bias)."""
    E, G = cfg["n_routed_experts"], cfg["n_group"]
    k = cfg["num_experts_per_tok"] if k is None else k
    tg = cfg["topk_group"] if topk_groups is None else topk_groups
    scores = x @ W[p + "mlp.gate.weight"].t()
    scores = scores.softmax(dim=-1) if cfg["scoring_func"] == "softmax" else scores.sigmoid()
    original_scores = scores
    bias = W.get(p + "mlp.gate.e_score_correction_bias")
    if bias is not None:
        scores = scores + bias
    if G > 1:
        scores = scores.view(x.size(0), G, -1)
        group_scores = scores.amax(dim=-1) if bias is None else scores.topk(2, dim=-1)[0].sum(dim=-1)
        indices = group_scores.topk(tg, dim=-1)[1]
        mask = scores.new_ones(x.size(0), G, dtype=torch.bool).scatter_(1, indices, False)
        scores = scores.masked_fill(mask.unsqueeze(-1), float("-inf")).flatten(1)
    indices = torch.topk(scores, k, dim=-1)[1]
    weights = original_scores.gather(1, indices)
    if cfg["scoring_func"] == "sigmoid":
        weights = weights / weights.sum(dim=-1, keepdim=True)
    weights = weights * cfg["routed_scaling_factor"]
    return weights, indices


def ds_moe(cfg, W, p, x):
    weights, indices = ds_gate(cfg, W, p, x)
    y = torch.zeros_like(x)
    for i in range(cfg["n_routed_experts"]):
        idx, top = torch.where(indices == i)
        if idx.numel() == 0:
            continue
        m = p + f"mlp.experts.{i}."
        w1, w2, w3 = W[m + "gate_proj.weight"], W[m + "down_proj.weight"], W[m + "up_proj.weight"]
        y[idx] += ((F.silu(x[idx] @ w1.t()) * (x[idx] @ w3.t())) @ w2.t()) * weights[idx, top, None]
    m = p + "mlp.shared_experts."
    z = (F.silu(x @ W[m + "gate_proj.weight"].t()) * (x @ W[m + "up_proj.weight"].t())) @ W[m + "down_proj.weight"].t()
    return y + z


def ds_forward(cfg, W, input_ids):
    eps = cfg["rms_norm_eps"]
    S = input_ids.shape[0]
    dtype = W["model.embed_tokens.weight"].dtype
    freqs_cis = ds_freqs_cis(cfg, S, dtype)
    h = W["model.embed_tokens.weight"][input_ids]
    for n in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{n}."
        h = h + ds_mla_absorb(cfg, W, p + "self_attn.", ds_rmsnorm(h, W[p + "input_layernorm.weight"], eps), freqs_cis)
        x = ds_rmsnorm(h, W[p + "post_attention_layernorm.weight"], eps)
        if n < cfg["first_k_dense_replace"]:
            m = p + "mlp."
            h = h + (F.silu(x @ W[m + "gate_proj.weight"].t()) * (x @ W[m + "up_proj.weight"].t())) @ W[m + "down_proj.weight"].t()
        else:
            h = h + ds_moe(cfg, W, p, x)
    h = ds_rmsnorm(h, W["model.norm.weight"], eps)
    return h @ W["lm_head.weight"].t()


# --------------------------------------------------------------------------------------------------
# Self checks
# --------------------------------------------------------------------------------------------------


def check_rope():
    """HF de-interleave + rotate_half == DeepSeek complex pairs (up to the output permutation)."""
    g = torch.Generator().manual_seed(3)
    for d in (2, 4, 8, 64):
        S = 9
        x = torch.randn(3, S, d, generator=g, dtype=torch.float64)
        cfg = {"qk_rope_head_dim": d, "rope_theta": 10000.0, "rope_scaling": None, "max_position_embeddings": 64}
        cos, sin = rope_cos_sin(cfg, S, torch.float64)
        got = apply_rope(x, cos, sin)
        fc = ds_freqs_cis(cfg, S, torch.float64)
        want = ds_apply_rotary_emb(x.transpose(0, 1), fc).transpose(0, 1)  # interleaved order
        perm = torch.arange(d).view(d // 2, 2).t().reshape(d)  # de-interleaved position of each element
        check(max_diff(got, want[..., perm]) < 1e-6, f"RoPE d={d}: HF interleave form != complex form")
        # dot products (what attention sees) agree without any permutation
        check(max_diff(got @ got.transpose(-1, -2), want @ want.transpose(-1, -2)) < 1e-5, f"RoPE d={d} dots")
        check(max_diff(got[:, 0], x[:, 0].view(3, d // 2, 2).transpose(-1, -2).reshape(3, d)) == 0.0, "pos 0")


def check_yarn():
    # (1) factor 1: YaRN == plain RoPE, attention factor 1, softmax scale unchanged
    for d in (2, 4, 8, 64):
        rs = {"type": "yarn", "factor": 1.0, "original_max_position_embeddings": 16, "beta_fast": 32,
              "beta_slow": 1, "mscale": 1.0, "mscale_all_dim": 1.0}
        inv, att = yarn_inv_freq(d, 10000.0, rs)
        check(torch.equal(inv, default_inv_freq(d, 10000.0)) and att == 1.0, f"YaRN factor 1 != RoPE (d={d})")
        cfg = {"qk_nope_head_dim": 4, "qk_rope_head_dim": d, "rope_scaling": rs}
        check(softmax_scale(cfg) == (4 + d) ** -0.5, "YaRN factor 1 changes the softmax scale")
    # (2) HF form == DeepSeek form of the frequency blend, incl. a V3-sized case with intermediate ramp values
    for d, base, factor, orig in ((2, 1e4, 4.0, 16), (8, 1e4, 4.0, 16), (64, 1e4, 40.0, 4096), (64, 5e4, 8.0, 256)):
        rs = {"type": "yarn", "factor": factor, "original_max_position_embeddings": orig, "beta_fast": 32,
              "beta_slow": 1, "mscale": 1.0, "mscale_all_dim": 1.0}
        inv, _ = yarn_inv_freq(d, base, rs)
        cfg = {"qk_rope_head_dim": d, "rope_theta": base, "rope_scaling": rs, "max_position_embeddings": orig * 4}
        ang = torch.angle(ds_freqs_cis(cfg, 2, torch.float64)[1])  # position 1 -> the frequencies
        check(max_diff(inv, ang) < 1e-6 * float(inv.max()), f"YaRN HF != DeepSeek (d={d})")
    # (3) mscale numbers
    check(abs(yarn_get_mscale(4.0, 1.0) - (1 + 0.1 * math.log(4.0))) < 1e-15, "yarn_get_mscale")


def check_router_and_moe(cfg, W):
    g = torch.Generator().manual_seed(7)
    x = torch.randn(64, cfg["hidden_size"], generator=g, dtype=torch.float64)
    W64 = {k: v.double() for k, v in W.items()}
    E, G, k = cfg["n_routed_experts"], cfg["n_group"], cfg["num_experts_per_tok"]
    for n in range(cfg["num_hidden_layers"]):
        if not is_moe_layer(cfg, n):
            continue
        p = f"model.layers.{n}."
        # (1) HF-form router == DeepSeek Gate transcription (same expert set and weights)
        w_hf, i_hf = route(cfg, W64, p, x)
        w_ds, i_ds = ds_gate(cfg, W64, p, x)
        check(torch.equal(i_hf.sort(-1).values, i_ds.sort(-1).values), f"layer {n}: router indices differ")
        o_hf, o_ds = i_hf.sort(-1).indices, i_ds.sort(-1).indices
        check(max_diff(w_hf.gather(1, o_hf), w_ds.gather(1, o_ds)) < 1e-12, f"layer {n}: router weights differ")
        # (2) V2: masking dropped groups with 0 or -inf selects the same experts (all probs > 0, 4 kept >= k)
        if cfg["topk_method"] == "group_limited_greedy":
            _, i_inf = route(cfg, W64, p, x, ("mask_neg_inf",))
            check(torch.equal(i_inf, i_hf), f"layer {n}: V2 0 vs -inf masking differs")
        outs = torch.stack([swiglu_mlp(x, W64, p + f"mlp.experts.{e}.") for e in range(E)], dim=1)  # [T,E,H]
        shared = swiglu_mlp(x, W64, p + "mlp.shared_experts.")
        logits = x @ W64[p + "mlp.gate.weight"].t()
        s = torch.softmax(logits, -1) if cfg["scoring_func"] == "softmax" else torch.sigmoid(logits)
        # (3) k = E (all groups kept): the sparse block equals the dense mixture
        if cfg["norm_topk_prob"]:
            dense_w = s / s.sum(-1, keepdim=True) * cfg["routed_scaling_factor"]
        else:
            dense_w = s * cfg["routed_scaling_factor"]
        dense = (dense_w[..., None] * outs).sum(1) + shared
        d = max_diff(moe(cfg, W64, p, x, k=E, topk_group=G), dense)
        check(d < 1e-12, f"{cfg['model_type']} layer {n}: k=E MoE != dense mixture ({d})")
        # (4) expert loop == dense masked mixture with the DeepSeek-Gate weights
        gates = torch.zeros_like(s).scatter(1, i_ds, w_ds)
        masked = (gates[..., None] * outs).sum(1) + shared
        d = max_diff(moe(cfg, W64, p, x), masked)
        check(d < 1e-12, f"{cfg['model_type']} layer {n}: expert loop != masked mixture ({d})")
        check(k < E, "k")


def check_mla(cfg, W):
    """HF-form (naive) MLA == DeepSeek absorbed MLA, float64, one layer on random input."""
    g = torch.Generator().manual_seed(11)
    S = 9
    x = torch.randn(S, cfg["hidden_size"], generator=g, dtype=torch.float64)
    W64 = {k: v.double() for k, v in W.items()}
    cos, sin = rope_cos_sin(cfg, S, torch.float64)
    for n in range(cfg["num_hidden_layers"]):
        a = f"model.layers.{n}.self_attn."
        d = max_diff(mla(cfg, W64, a, x, cos, sin, ()), ds_mla_absorb(cfg, W64, a, x, ds_freqs_cis(cfg, S, torch.float64)))
        check(d < 1e-6, f"layer {n}: naive MLA != absorbed MLA ({d})")  # cos/sin are float32 in both


# --------------------------------------------------------------------------------------------------
# Fixture building
# --------------------------------------------------------------------------------------------------


def seed_ok(cfg, stats):
    E = cfg["n_routed_experts"]
    if stats["group_gap"] < MIN_GAP or stats["expert_gap"] < MIN_GAP or not all_experts_hit(stats["routes"], E):
        return False
    if stats["group_limit_changes"] == 0:  # the group limit must change at least one selection
        return False
    if has_bias(cfg) and stats["bias_changes"] == 0:  # the bias must change at least one selection
        return False
    return True


def build(cfg):
    base = BASE_SEEDS[cfg["model_type"]]
    seeds = range(base, base + SEED_TRIES)
    return search_seed(cfg, seeds, init_weights, forward, lambda W, ids, stats: seed_ok(cfg, stats), "seed_ok() passing")


# Pitfalls: name -> minimum max|logit diff| the fixture must show (the Java parity test tolerance is
# 1e-4), "same" = must be identical, None = report only.
STRONG, WEAK = 1e-2, 1e-3


def pitfall_variants(cfg):
    d2 = cfg["qk_rope_head_dim"] == 2  # one rotation pair: pairing and YaRN blend are not observable
    v = {
        "half_split_rope": None if d2 else STRONG,
        "no_kv_norm": STRONG,
        "no_group_limit": STRONG,
        "flip_renorm": STRONG,
        "no_routed_scale": STRONG,
    }
    if cfg["q_lora_rank"] is not None:
        v["no_q_norm"] = STRONG
    if cfg["topk_method"] == "group_limited_greedy":
        v["mask_neg_inf"] = "same"  # 0 vs -inf for dropped groups: identical by construction
        v["group_sum2"] = None
    if has_bias(cfg):
        v.update(biased_weights=STRONG, no_bias_selection=STRONG, group_max=None, mask_zero=None)
    if cfg.get("rope_scaling") is not None:
        v.update(no_yarn_mscale=STRONG, mscale_once=STRONG, cos_sin_mscale=STRONG)
        v.update(no_yarn_freq=None if d2 else WEAK, yarn_ramp_inverted=None if d2 else WEAK)
    return v


def verify_forward(cfg, W, ids, logits):
    info = {}
    W64 = {k: v.double() for k, v in W.items()}
    info["fp32_vs_fp64"] = max_diff(logits, forward(cfg, W64, ids))
    check(info["fp32_vs_fp64"] < 1e-5, f"fp32 vs fp64 forward differ by {info['fp32_vs_fp64']}")
    info["hf_vs_deepseek"] = max_diff(logits, ds_forward(cfg, W64, ids))
    check(info["hf_vs_deepseek"] < 1e-5, f"HF-form fp32 vs DeepSeek-form fp64 differ by {info['hf_vs_deepseek']}")
    check_prefix_invariance(lambda prefix: forward(cfg, W, prefix), ids, logits)
    info["pitfalls"] = check_pitfalls(lambda v: forward(cfg, W, ids, v), logits, pitfall_variants(cfg))
    return info


# FP8 fixture: DeepSeek-V3's published checkpoint stores every linear projection as FP8 e4m3 codes
# with one float32 `weight_scale_inv` per 128 x 128 block. The fixture uses 8 x 8 blocks (declared in
# quantization_config.weight_block_size) so that its small matrices span several blocks, partial
# ones included.
FP8_BLOCK = [8, 8]


def write_fp8_fixture(d, cfg, W, ids):
    """Quantises the projections of W, computes the reference logits with the dequantised weights,
    and writes config.json (with quantization_config), model.safetensors (F8_E4M3 codes +
    *_scale_inv F32, other tensors F32) and expected.json. Returns (logits, stats, quantised keys)."""
    keys = [k for k in sorted(W) if W[k].dim() == 2 and k.endswith("_proj.weight")]
    Wq, tensors = dict(W), []
    for k in sorted(W):
        if k in keys:
            codes, scale, deq = quantize_fp8(W[k], FP8_BLOCK)
            Wq[k] = deq
            tensors += [(k, codes), (k + "_scale_inv", scale)]
        else:
            tensors.append((k, W[k]))
    stats = {}
    logits = forward(cfg, Wq, ids, (), stats)
    check(seed_ok(cfg, stats), "routing margins still comfortable with FP8 weights")
    check_prefix_invariance(lambda prefix: forward(cfg, Wq, prefix), ids, logits)
    os.makedirs(d, exist_ok=True)
    qcfg = dict(
        cfg,
        quantization_config={
            "activation_scheme": "dynamic",
            "fmt": "e4m3",
            "quant_method": "fp8",
            "weight_block_size": FP8_BLOCK,
        },
    )
    write_json(os.path.join(d, "config.json"), qcfg)
    write_safetensors(os.path.join(d, "model.safetensors"), tensors)
    write_expected(os.path.join(d, "expected.json"), ids, logits)
    return logits, stats, keys


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--qk-rope-head-dim", type=int, default=COMMON["qk_rope_head_dim"])
    args = ap.parse_args(argv)
    setup_torch(args.out)
    check_rope()
    check_yarn()
    lines = []
    for base in (DEEPSEEK_V2, DEEPSEEK_V3):
        cfg = copy.deepcopy(base)
        cfg["qk_rope_head_dim"] = args.qk_rope_head_dim
        t = cfg["model_type"]
        seed, W, ids, logits, stats = build(cfg)
        check_router_and_moe(cfg, W)
        check_mla(cfg, W)
        info = verify_forward(cfg, W, ids, logits)
        d = write_fixture(os.path.join(args.out, t), cfg, W, ids, logits)
        inv, att = rope_params(cfg)
        pit = ", ".join(f"{k} {v:.3g}" for k, v in info["pitfalls"].items())
        E = cfg["n_routed_experts"]
        used = "/".join(f"{len({e for tok in layer for e in tok})}of{E}" for layer in stats["routes"])
        lines.append(
            f"{t}: seed {seed} ids {ids.tolist()} |logits|max {float(logits.abs().max()):.3f}; "
            f"inv_freq {[round(float(f), 6) for f in inv]} cos/sin x{att:.6f} softmax scale {softmax_scale(cfg):.6f}; "
            f"group gap {stats['group_gap']:.4f} expert gap {stats['expert_gap']:.4f} experts hit {used}; "
            f"selections changed by group limit {stats['group_limit_changes']}"
            + (f", by bias {stats['bias_changes']}" if has_bias(cfg) else "")
            + f"; fp32-fp64 {info['fp32_vs_fp64']:.1e}, HF-vs-DeepSeek form {info['hf_vs_deepseek']:.1e}; "
            f"{len(W)} tensors, {os.path.getsize(os.path.join(d, 'model.safetensors'))} bytes\n    pitfall diffs: {pit}"
        )
        if t == "deepseek_v3":
            logits_q, _, keys = write_fp8_fixture(os.path.join(args.out, "deepseek_v3_fp8"), cfg, W, ids)
            lines.append(
                f"deepseek_v3_fp8: {len(keys)} projections as F8_E4M3 in {FP8_BLOCK} blocks; "
                f"logits differ from the float32 fixture by {max_diff(logits_q, logits):.3f}"
            )
    print("\n".join(lines))
    total = sum(
        os.path.getsize(os.path.join(args.out, t, f))
        for t in ("deepseek_v2", "deepseek_v3")
        for f in os.listdir(os.path.join(args.out, t))
    )
    shas = " ".join(f"{t} {sha_dir(os.path.join(args.out, t))}" for t in ("deepseek_v2", "deepseek_v3"))
    print(f"all self-checks passed; fixtures total {total} bytes, sha256[:12] {shas}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
