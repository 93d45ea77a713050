#!/usr/bin/env python3
# Logits-parity fixture generator for MoE Zoo's GLM-4.5 MoE (model_type "glm4_moe") checkpoint import.
#
# A plain-torch (float32, eval mode, no dropout, no KV cache) transcription of the Hugging Face
# transformers GLM-4.5 MoE forward pass (src/transformers/models/glm4_moe/modeling_glm4_moe.py and
# modular_glm4_moe.py, as summarised in ../shared/reference/moe-reference-semantics.md §11):
# Glm4MoeAttention (q/k/v biases, per-head q/k RMSNorm, partial rotate-half RoPE), Glm4MoeTopkRouter +
# Glm4MoeMoE (DeepSeek-V3 sigmoid routing with a selection-only correction bias, shared experts),
# Glm4MoeMLP (dense first layers), Glm4MoeDecoderLayer, Glm4MoeModel, Glm4MoeForCausalLM. It builds a
# tiny seeded random checkpoint, writes it as a hand-written safetensors file (F32) and records the
# prefill logits. The checkpoint also holds a stand-in for the multi-token-prediction layer that real
# GLM-4.5 checkpoints store after the last layer (model.layers.{L}.*), which the reference ignores.
#
# Run from the repository root with the Debian python (apt-get install python3-torch python3-numpy):
#     /usr/bin/python3 hf/src/test/python/make_glm4_moe_fixtures.py
#
# Output (hf/src/test/resources/fixtures/glm4_moe/): config.json, model.safetensors (F32), expected.json.
#
# Reference semantics transcribed here (T tokens, nh / nkv heads of d = head_dim, r = d * partial_rotary_factor):
#   attention: q = a Wq^T + bq, k = a Wk^T + bk, v = a Wv^T + bv (attention_bias)
#              if use_qk_norm: q, k = RMSNorm over each head's d values (weights [d]) BEFORE RoPE
#              RoPE on the first r values of each head (rotate_half pairs (i, i + r/2), inv_freq over r),
#              the other d - r values pass through; scores = q k^T / sqrt(d); softmax in float32;
#              o_proj without bias
#   layers i < first_k_dense_replace: dense SwiGLU MLP (intermediate_size)
#   MoE layers: z = x W_gate^T (float32); s = sigmoid(z); c = s + e_score_correction_bias (selection only)
#               idx = topk(c, k) (n_group = topk_group = 1: no group masking); w = s[idx]
#               w = w / (sum w + 1e-20) if norm_topk_prob; w = w * routed_scaling_factor (ALWAYS)
#               y = sum_j w_j SwiGLU_{idx_j}(x) + SwiGLU_shared(x)   (shared width = moe_I * n_shared_experts)
#   logits = RMSNorm(h) lm_head^T

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
    all_experts_hit,
    check,
    check_rope,
    rms_norm,
    rope_cos_sin,
    rotate_half,
    search_seed,
    seeded_weights,
    setup_torch,
    swiglu,
    topk_gap,
    verify_forward,
    write_and_report,
)

OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "fixtures", "glm4_moe"))

BASE_SEED = 8000
MIN_ROUTER_GAP = 1e-2  # between the k-th and (k+1)-th biased sigmoid score of every token

# HF Glm4MoeConfig field names. head_dim * num_attention_heads (32) differs from hidden_size (16), as in
# the released models (128 * 96 != 4096); partial_rotary_factor 0.5 rotates 4 of each head's 8 values.
CONFIG = {
    "vocab_size": 64,
    "hidden_size": 16,
    "intermediate_size": 20,
    "moe_intermediate_size": 6,
    "num_hidden_layers": 3,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "head_dim": 8,
    "partial_rotary_factor": 0.5,
    "hidden_act": "silu",
    "max_position_embeddings": 64,
    "initializer_range": INIT_STD,
    "rms_norm_eps": 1e-5,
    "use_cache": True,
    "tie_word_embeddings": False,
    "rope_theta": 10000.0,
    "rope_scaling": None,
    "attention_bias": True,
    "attention_dropout": 0.0,
    "n_routed_experts": 4,
    "num_experts_per_tok": 2,
    "n_shared_experts": 1,
    "routed_scaling_factor": 2.5,
    "n_group": 1,
    "topk_group": 1,
    "first_k_dense_replace": 1,
    "norm_topk_prob": True,
    "use_qk_norm": True,
    "num_nextn_predict_layers": 1,
    "bos_token_id": 1,
    "eos_token_id": [2, 3],
    "pad_token_id": 0,
    "model_type": "glm4_moe",
    "architectures": ["Glm4MoeForCausalLM"],
    "torch_dtype": "float32",
}


def param_shapes(cfg):
    """Ordered list of (key, shape, kind) with the hub key names (per-expert layout)."""
    H, V, L = cfg["hidden_size"], cfg["vocab_size"], cfg["num_hidden_layers"]
    nh, nkv, d = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"]
    E, Ie, I = cfg["n_routed_experts"], cfg["moe_intermediate_size"], cfg["intermediate_size"]
    Is = Ie * cfg["n_shared_experts"]
    out = [("model.embed_tokens.weight", [V, H], "w")]
    for n in range(L + cfg["num_nextn_predict_layers"]):
        p = f"model.layers.{n}."
        if n == L:  # stand-in for the MTP layer: the reference does not read it
            out += [(p + "eh_proj.weight", [H, 2 * H], "w"), (p + "enorm.weight", [H], "norm"),
                    (p + "hnorm.weight", [H], "norm")]
            continue
        a, m = p + "self_attn.", p + "mlp."
        out += [
            (p + "input_layernorm.weight", [H], "norm"),
            (a + "q_proj.weight", [nh * d, H], "w"),
            (a + "q_proj.bias", [nh * d], "bias"),
            (a + "k_proj.weight", [nkv * d, H], "w"),
            (a + "k_proj.bias", [nkv * d], "bias"),
            (a + "v_proj.weight", [nkv * d, H], "w"),
            (a + "v_proj.bias", [nkv * d], "bias"),
            (a + "o_proj.weight", [H, nh * d], "w"),
            (a + "q_norm.weight", [d], "norm"),
            (a + "k_norm.weight", [d], "norm"),
            (p + "post_attention_layernorm.weight", [H], "norm"),
        ]
        if n < cfg["first_k_dense_replace"]:
            out += [(m + "gate_proj.weight", [I, H], "w"), (m + "up_proj.weight", [I, H], "w"),
                    (m + "down_proj.weight", [H, I], "w")]
            continue
        out += [(m + "gate.weight", [E, H], "w"), (m + "gate.e_score_correction_bias", [E], "bias")]
        for j in range(E):
            x = m + f"experts.{j}."
            out += [(x + "gate_proj.weight", [Ie, H], "w"), (x + "up_proj.weight", [Ie, H], "w"),
                    (x + "down_proj.weight", [H, Ie], "w")]
        s = m + "shared_experts."
        out += [(s + "gate_proj.weight", [Is, H], "w"), (s + "up_proj.weight", [Is, H], "w"),
                (s + "down_proj.weight", [H, Is], "w")]
    out.append(("model.norm.weight", [H], "norm"))
    out.append(("lm_head.weight", [V, H], "w"))
    return out


def init_weights(cfg, seed):
    return seeded_weights(param_shapes(cfg), cfg["vocab_size"], seed, bias_std=0.1)


def mlp(W, m, x):
    return swiglu(x, W[m + "gate_proj.weight"], W[m + "up_proj.weight"], W[m + "down_proj.weight"])


# --------------------------------------------------------------------------------------------------
# HF-literal forward (batch of one)
# --------------------------------------------------------------------------------------------------


def moe_hf(cfg, W, m, x, variant, stats):
    """Glm4MoeMoE.forward on x [T, H]: Glm4MoeTopkRouter + route_tokens_to_experts, then the experts."""
    E, k = cfg["n_routed_experts"], cfg["num_experts_per_tok"]
    z = x.float() @ W[m + "gate.weight"].float().t() if x.dtype != torch.float64 else x @ W[m + "gate.weight"].t()
    s = torch.softmax(z, dim=-1) if "softmax_scores" in variant else z.sigmoid()
    c = s + W[m + "gate.e_score_correction_bias"]
    if stats is not None:
        stats["min_gap"] = min(stats.get("min_gap", float("inf")), topk_gap(c, k))
    idx = torch.topk(c, k=k, dim=-1, sorted=False)[1]
    if stats is not None:
        stats.setdefault("routes", []).append(sorted_rows(idx))
    w = (c if "biased_weights" in variant else s).gather(1, idx)
    normalize = cfg["norm_topk_prob"] and "no_renormalize" not in variant
    if normalize:
        w = w / (w.sum(dim=-1, keepdim=True) + 1e-20)
    if not ("scale_only_without_norm" in variant and normalize):  # DeepSeek-V2 rule (pitfall)
        w = w * cfg["routed_scaling_factor"]
    w = w.to(x.dtype)
    routed = torch.zeros_like(x)
    for e in range(E):
        token, slot = torch.where(idx == e)
        if token.numel() == 0:
            continue
        routed = routed.index_add(0, token, mlp(W, m + f"experts.{e}.", x[token]) * w[token, slot, None])
    if "no_shared" in variant:
        return routed
    return routed + mlp(W, m + "shared_experts.", x)


def sorted_rows(idx):
    return [sorted(r) for r in idx.tolist()]


def partial_rope(x, cos, sin, r, variant):
    """Rotate-half RoPE on the first r values of the last axis; the rest passes through."""
    if "full_rotary" in variant:
        r = x.shape[-1]
        cos, sin = cos_sin_for(x.shape[-2], r, x.dtype)
    rot, rest = x[..., :r], x[..., r:]
    if "interleaved_rope" in variant:
        xe, xo = rot[..., 0::2], rot[..., 1::2]
        c, s = cos[..., : r // 2], sin[..., : r // 2]
        rot = torch.stack((xe * c - xo * s, xe * s + xo * c), dim=-1).flatten(-2)
    else:
        rot = rot * cos + rotate_half(rot) * sin
    return torch.cat((rot, rest), dim=-1)


THETA = CONFIG["rope_theta"]


def cos_sin_for(seq_len, dim, dtype):
    return rope_cos_sin(seq_len, dim, THETA, dtype)


def attention_hf(cfg, W, a, x, variant):
    """Glm4MoeAttention.forward (eager) on x [T, H]."""
    T = x.shape[0]
    nh, nkv, d = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"]
    r = int(d * cfg["partial_rotary_factor"])
    eps = cfg["rms_norm_eps"]
    q = (x @ W[a + "q_proj.weight"].t() + W[a + "q_proj.bias"]).view(T, nh, d)
    key = (x @ W[a + "k_proj.weight"].t() + W[a + "k_proj.bias"]).view(T, nkv, d)
    value = (x @ W[a + "v_proj.weight"].t() + W[a + "v_proj.bias"]).view(T, nkv, d)
    norm_first = cfg["use_qk_norm"] and "qk_norm_after_rope" not in variant and "no_qk_norm" not in variant
    if norm_first:
        q, key = rms_norm(q, W[a + "q_norm.weight"], eps), rms_norm(key, W[a + "k_norm.weight"], eps)
    q, key, value = q.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1)
    cos, sin = cos_sin_for(T, r, x.dtype)
    q, key = partial_rope(q, cos, sin, r, variant), partial_rope(key, cos, sin, r, variant)
    if "qk_norm_after_rope" in variant:
        q, key = rms_norm(q, W[a + "q_norm.weight"], eps), rms_norm(key, W[a + "k_norm.weight"], eps)
    groups = nh // nkv
    key, value = key.repeat_interleave(groups, dim=0), value.repeat_interleave(groups, dim=0)
    scores = (q @ key.transpose(-1, -2)) / math.sqrt(r if "rotary_dim_scale" in variant else d)
    scores = scores.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))
    if scores.dtype != torch.float64:
        scores = scores.float()
    probs = torch.softmax(scores, dim=-1).to(q.dtype)
    o = (probs @ value).transpose(0, 1).reshape(T, nh * d)
    return o @ W[a + "o_proj.weight"].t()


def forward(cfg, W, input_ids, variant=(), stats=None):
    eps = cfg["rms_norm_eps"]
    h = W["model.embed_tokens.weight"][input_ids]
    for n in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{n}."
        h = h + attention_hf(cfg, W, p + "self_attn.", rms_norm(h, W[p + "input_layernorm.weight"], eps), variant)
        x = rms_norm(h, W[p + "post_attention_layernorm.weight"], eps)
        if n < cfg["first_k_dense_replace"]:
            h = h + mlp(W, p + "mlp.", x)
        else:
            h = h + moe_hf(cfg, W, p + "mlp.", x, variant, stats)
    return rms_norm(h, W["model.norm.weight"], eps) @ W["lm_head.weight"].t()


# --------------------------------------------------------------------------------------------------
# Independent loop formulation (per token, per head, per expert), used only as a cross-check
# --------------------------------------------------------------------------------------------------


def rope_pairs(v, pos, r, theta):
    """Rotates (v[i], v[i + r/2]) by the angle pos * theta^(-2i/r) for i < r/2 (complex form), with
    the angles' cos/sin taken from the reference's float32 tables (as HF computes them)."""
    cos, sin = rope_cos_sin(pos + 1, r, theta, v.dtype)
    out = v.clone()
    for i in range(r // 2):
        c, s = cos[pos, i], sin[pos, i]
        out[i] = v[i] * c - v[i + r // 2] * s
        out[i + r // 2] = v[i + r // 2] * c + v[i] * s
    return out


def forward_loop(cfg, W, input_ids):
    eps = cfg["rms_norm_eps"]
    nh, nkv, d = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"]
    r = int(d * cfg["partial_rotary_factor"])
    E, k = cfg["n_routed_experts"], cfg["num_experts_per_tok"]
    T = input_ids.shape[0]
    h = W["model.embed_tokens.weight"][input_ids].clone()
    for n in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{n}."
        a, m = p + "self_attn.", p + "mlp."
        x = rms_norm(h, W[p + "input_layernorm.weight"], eps)
        out = torch.zeros_like(h)
        for head in range(nh):
            kvh = head // (nh // nkv)
            qs = [rope_pairs(rms_norm(x[t] @ W[a + "q_proj.weight"][head * d:(head + 1) * d].t() + W[a + "q_proj.bias"][head * d:(head + 1) * d], W[a + "q_norm.weight"], eps), t, r, cfg["rope_theta"]) for t in range(T)]
            ks = [rope_pairs(rms_norm(x[t] @ W[a + "k_proj.weight"][kvh * d:(kvh + 1) * d].t() + W[a + "k_proj.bias"][kvh * d:(kvh + 1) * d], W[a + "k_norm.weight"], eps), t, r, cfg["rope_theta"]) for t in range(T)]
            vs = [x[t] @ W[a + "v_proj.weight"][kvh * d:(kvh + 1) * d].t() + W[a + "v_proj.bias"][kvh * d:(kvh + 1) * d] for t in range(T)]
            for t in range(T):
                sc = torch.stack([qs[t] @ ks[u] for u in range(t + 1)]) / math.sqrt(d)
                wts = torch.exp(sc - sc.max())
                wts = wts / wts.sum()
                o = sum(wts[u] * vs[u] for u in range(t + 1))
                out[t] += W[a + "o_proj.weight"][:, head * d:(head + 1) * d] @ o
        h = h + out
        x = rms_norm(h, W[p + "post_attention_layernorm.weight"], eps)
        if n < cfg["first_k_dense_replace"]:
            h = h + mlp(W, m, x)
            continue
        out = torch.zeros_like(h)
        for t in range(T):
            s = torch.sigmoid(W[m + "gate.weight"] @ x[t])
            c = s + W[m + "gate.e_score_correction_bias"]
            chosen = sorted(range(E), key=lambda j: -float(c[j]))[:k]
            w = s[chosen] / (s[chosen].sum() + 1e-20) * cfg["routed_scaling_factor"]
            for j, e in enumerate(chosen):
                out[t] += w[j] * mlp(W, m + f"experts.{e}.", x[t:t + 1])[0]
            out[t] += mlp(W, m + "shared_experts.", x[t:t + 1])[0]
        h = h + out
    return rms_norm(h, W["model.norm.weight"], eps) @ W["lm_head.weight"].t()


# --------------------------------------------------------------------------------------------------
# Seed search, checks, output
# --------------------------------------------------------------------------------------------------


def build(cfg):
    def accept(W, ids, stats):
        return stats["min_gap"] >= MIN_ROUTER_GAP and all_experts_hit(stats["routes"], cfg["n_routed_experts"])

    seeds = range(BASE_SEED, BASE_SEED + 400)
    return search_seed(cfg, seeds, init_weights, forward, accept, f"biased score gap >= {MIN_ROUTER_GAP} and all experts hit")


PITFALLS = [
    "full_rotary",  # RoPE over the whole head instead of head_dim * partial_rotary_factor
    "interleaved_rope",  # GPT-J pairs instead of rotate_half
    "qk_norm_after_rope",
    "no_qk_norm",
    "rotary_dim_scale",  # 1/sqrt(rotary dim) instead of 1/sqrt(head_dim)
    "softmax_scores",  # DeepSeek-V2 softmax instead of sigmoid
    "biased_weights",  # the correction bias leaking into the combine weights
    "no_renormalize",
    "scale_only_without_norm",  # DeepSeek-V2's rule for routed_scaling_factor
    "no_shared",
]


def main():
    setup_torch(OUT)
    cfg = CONFIG
    check_rope()
    seed, W, ids, logits, stats = build(cfg)
    info = verify_forward(cfg, W, ids, logits, forward, forward_loop, PITFALLS)
    write_and_report(OUT, cfg, W, ids, logits, forward, seed, stats, info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
