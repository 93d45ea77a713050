#!/usr/bin/env python3
# Logits-parity fixture generator for MoE Zoo's GraniteMoE (model_type "granitemoe") checkpoint import.
#
# A plain-torch (float32, eval mode, no dropout, no KV cache) transcription of the Hugging Face
# transformers GraniteMoE forward pass (src/transformers/models/granitemoe/modeling_granitemoe.py and
# the v5 modular_granitemoe.py, as summarised in ../shared/reference/moe-reference-semantics.md §10):
# GraniteMoeTopKGating, GraniteMoeParallelExperts, GraniteMoeMoE, GraniteMoeAttention (eager),
# GraniteMoeDecoderLayer, GraniteMoeModel, GraniteMoeForCausalLM. It builds a tiny seeded random
# checkpoint, writes it as a hand-written safetensors file (F32) and records the prefill logits.
#
# Run from the repository root with the Debian python (apt-get install python3-torch python3-numpy):
#     /usr/bin/python3 hf/src/test/python/make_granite_fixtures.py
#
# Output (hf/src/test/resources/fixtures/granitemoe/): config.json, model.safetensors (F32),
# expected.json = {"input_ids": [7 ids], "logits": [[64 floats] per position]}.
#
# Reference semantics transcribed here (T tokens, H hidden, E experts, k = num_experts_per_tok,
# nh / nkv heads, d = H / nh, I = intermediate_size):
#   h = embed(ids) * embedding_multiplier
#   per layer:
#       a = RMSNorm_in(h); q, k, v = a Wq^T, a Wk^T, a Wv^T (no biases); Llama rotate_half RoPE on q, k
#       scores = q k^T * attention_multiplier      (REPLACES 1/sqrt(d)); causal softmax in float32
#       h = h + o_proj(softmax(scores) v) * residual_multiplier
#       m = RMSNorm_post(h)
#       router (JetMoE gating): logits = m W_router^T in float32; top-k logits; gates = softmax over the k
#       expert e: g | u = m input_linear[e]^T (rows [0, I) gate, [I, 2I) up); y_e = output_linear[e] (silu(g) * u)
#       h = h + (sum_s gates_s y_{e_s}) * residual_multiplier      (no MoE bias)
#   logits = (RMSNorm(h) lm_head^T) / logits_scaling               (a divisor)
#
# The script is deterministic (fixed seeds, one thread) and checks itself before writing anything:
# the HF-literal sort/scatter dispatch equals an independent per-token loop formulation, float32
# against float64, prefix (causal) invariance, a margin between the k-th and (k+1)-th router logit
# of every token, every expert used, the safetensors round trip, and that plausible mistakes
# (1/sqrt(d) scaling, multiplying by logits_scaling, no residual or embedding multiplier, softmax
# over all experts without renormalising, up rows first, grouped-query heads tiled instead of
# repeated) each change the logits visibly.

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
    apply_rope,
    check,
    check_rope,
    rms_norm,
    rope_cos_sin,
    search_seed,
    seeded_weights,
    setup_torch,
    topk_gap,
    verify_forward,
    write_and_report,
)

OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "fixtures", "granitemoe"))

BASE_SEED = 7000
MIN_ROUTER_GAP = 1e-2  # between the k-th and (k+1)-th router logit of every token

# HF GraniteMoeConfig field names. The multipliers are granite-3.x-like in kind (embedding x12,
# residual x0.22, logits / 6) but sized for a 4-dimensional head; none of them is 1, so a missing
# multiplier shows in the logits.
CONFIG = {
    "vocab_size": 64,
    "hidden_size": 16,
    "intermediate_size": 12,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "hidden_act": "silu",
    "max_position_embeddings": 64,
    "initializer_range": INIT_STD,
    "rms_norm_eps": 1e-6,
    "use_cache": True,
    "pad_token_id": 0,
    "bos_token_id": 1,
    "eos_token_id": 2,
    "tie_word_embeddings": False,
    "rope_theta": 10000.0,
    "rope_scaling": None,
    "attention_bias": False,
    "attention_dropout": 0.0,
    "embedding_multiplier": 3.0,
    "logits_scaling": 2.5,
    "residual_multiplier": 0.6,
    "attention_multiplier": 0.35,
    "num_local_experts": 4,
    "num_experts_per_tok": 2,
    "output_router_logits": False,
    "router_aux_loss_coef": 0.001,
    "model_type": "granitemoe",
    "architectures": ["GraniteMoeForCausalLM"],
    "torch_dtype": "float32",
}


def param_shapes(cfg):
    """Ordered list of (key, shape, kind) with the hub key names."""
    H, V, L = cfg["hidden_size"], cfg["vocab_size"], cfg["num_hidden_layers"]
    E, I = cfg["num_local_experts"], cfg["intermediate_size"]
    nh, nkv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    d = H // nh
    out = [("model.embed_tokens.weight", [V, H], "w")]
    for n in range(L):
        p = f"model.layers.{n}."
        a = p + "self_attn."
        m = p + "block_sparse_moe."
        out += [
            (p + "input_layernorm.weight", [H], "norm"),
            (a + "q_proj.weight", [nh * d, H], "w"),
            (a + "k_proj.weight", [nkv * d, H], "w"),
            (a + "v_proj.weight", [nkv * d, H], "w"),
            (a + "o_proj.weight", [H, nh * d], "w"),
            (p + "post_attention_layernorm.weight", [H], "norm"),
            (m + "router.layer.weight", [E, H], "w"),
            (m + "input_linear.weight", [E, 2 * I, H], "w"),
            (m + "output_linear.weight", [E, H, I], "w"),
        ]
    out.append(("model.norm.weight", [H], "norm"))
    out.append(("lm_head.weight", [V, H], "w"))
    return out


def init_weights(cfg, seed):
    return seeded_weights(param_shapes(cfg), cfg["vocab_size"], seed)


# --------------------------------------------------------------------------------------------------
# HF-literal forward (GraniteMoe*, batch of one)
# --------------------------------------------------------------------------------------------------


def moe_hf(cfg, W, m, x, variant, stats):
    """GraniteMoeMoE.forward on x [T, H]: JetMoE top-k gating, sort by expert, parallel experts, index_add."""
    E, k = cfg["num_local_experts"], cfg["num_experts_per_tok"]
    logits = x @ W[m + "router.layer.weight"].t()
    if logits.dtype != torch.float64:
        logits = logits.float()
    if stats is not None:
        stats["min_gap"] = min(stats.get("min_gap", float("inf")), topk_gap(logits, k))
    top_logits, top_idx = logits.topk(k, dim=1)
    if "softmax_all_no_renorm" in variant:
        gates = torch.softmax(logits, dim=1).gather(1, top_idx).type_as(x)
    else:
        gates = torch.softmax(top_logits, dim=1).type_as(x)
    if stats is not None:
        stats.setdefault("routes", []).append(top_idx.tolist())
    flat = top_idx.flatten()
    _, order = flat.sort(dim=0, stable=True)
    batch_index = order.div(k, rounding_mode="trunc")
    batch_gates = gates.flatten()[order]
    expert_size = torch.zeros(E, dtype=torch.int64).scatter_add(0, flat, torch.ones_like(flat)).tolist()
    parts = x[batch_index].split(expert_size, dim=0)
    w_in, w_out = W[m + "input_linear.weight"], W[m + "output_linear.weight"]
    h = torch.cat([F.linear(parts[e], w_in[e]) for e in range(E)], dim=0)
    g, u = h.chunk(2, dim=-1)
    if "up_rows_first" in variant:
        g, u = u, g
    h = F.silu(g) * u
    parts = h.split(expert_size, dim=0)
    y = torch.cat([F.linear(parts[e], w_out[e]) for e in range(E)], dim=0) * batch_gates[:, None]
    return torch.zeros_like(x).index_add(0, batch_index, y)


def attention_hf(cfg, W, a, x, cos, sin, variant):
    """GraniteMoeAttention.forward (eager) on x [T, H]."""
    T, H = x.shape
    nh, nkv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    d = H // nh
    q = (x @ W[a + "q_proj.weight"].t()).view(T, nh, d).transpose(0, 1)
    key = (x @ W[a + "k_proj.weight"].t()).view(T, nkv, d).transpose(0, 1)
    value = (x @ W[a + "v_proj.weight"].t()).view(T, nkv, d).transpose(0, 1)
    q = apply_rope(q, cos, sin, variant)
    key = apply_rope(key, cos, sin, variant)
    groups = nh // nkv
    if "tiled_kv" in variant:  # pitfall: query head h reads kv head h % nkv
        key, value = key.repeat(groups, 1, 1), value.repeat(groups, 1, 1)
    else:  # repeat_kv: query head h reads kv head h // groups
        key, value = key.repeat_interleave(groups, dim=0), value.repeat_interleave(groups, dim=0)
    scale = 1 / math.sqrt(d) if "inverse_sqrt_scale" in variant else cfg["attention_multiplier"]
    scores = (q @ key.transpose(-1, -2)) * scale
    causal = torch.ones(T, T, dtype=torch.bool).triu(1)
    scores = scores.masked_fill(causal, float("-inf"))
    if scores.dtype != torch.float64:  # HF: softmax in float32; the float64 self-check keeps float64
        scores = scores.float()
    probs = torch.softmax(scores, dim=-1).to(q.dtype)
    o = (probs @ value).transpose(0, 1).reshape(T, nh * d)
    return o @ W[a + "o_proj.weight"].t()


def forward(cfg, W, input_ids, variant=(), stats=None):
    dtype = W["model.embed_tokens.weight"].dtype
    eps = cfg["rms_norm_eps"]
    H, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    cos, sin = rope_cos_sin(input_ids.shape[0], H // nh, cfg["rope_theta"], dtype)
    r = 1.0 if "no_residual_multiplier" in variant else cfg["residual_multiplier"]
    h = W["model.embed_tokens.weight"][input_ids]
    if "no_embedding_multiplier" not in variant:
        h = h * cfg["embedding_multiplier"]
    for n in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{n}."
        h = h + attention_hf(cfg, W, p + "self_attn.", rms_norm(h, W[p + "input_layernorm.weight"], eps), cos, sin, variant) * r
        h = h + moe_hf(cfg, W, p + "block_sparse_moe.", rms_norm(h, W[p + "post_attention_layernorm.weight"], eps), variant, stats) * r
    logits = rms_norm(h, W["model.norm.weight"], eps) @ W["lm_head.weight"].t()
    if "multiply_logits_scaling" in variant:
        return logits * cfg["logits_scaling"]
    return logits / cfg["logits_scaling"]


# --------------------------------------------------------------------------------------------------
# Independent loop formulation (per token, per head), used only as a cross-check
# --------------------------------------------------------------------------------------------------


def forward_loop(cfg, W, input_ids):
    eps = cfg["rms_norm_eps"]
    H, nh, nkv = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    E, k, I = cfg["num_local_experts"], cfg["num_experts_per_tok"], cfg["intermediate_size"]
    d = H // nh
    T = input_ids.shape[0]
    dtype = W["model.embed_tokens.weight"].dtype
    cos, sin = rope_cos_sin(T, d, cfg["rope_theta"], dtype)
    r = cfg["residual_multiplier"]
    h = W["model.embed_tokens.weight"][input_ids] * cfg["embedding_multiplier"]
    for n in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{n}."
        a, m = p + "self_attn.", p + "block_sparse_moe."
        x = rms_norm(h, W[p + "input_layernorm.weight"], eps)
        out = torch.zeros_like(h)
        for head in range(nh):
            kvh = head // (nh // nkv)
            q = apply_rope((x @ W[a + "q_proj.weight"][head * d:(head + 1) * d].t())[None], cos, sin)[0]
            kk = apply_rope((x @ W[a + "k_proj.weight"][kvh * d:(kvh + 1) * d].t())[None], cos, sin)[0]
            vv = x @ W[a + "v_proj.weight"][kvh * d:(kvh + 1) * d].t()
            for t in range(T):
                s = (kk[: t + 1] @ q[t]) * cfg["attention_multiplier"]
                w = torch.exp(s - s.max())
                o = (w / w.sum()) @ vv[: t + 1]
                out[t] += W[a + "o_proj.weight"][:, head * d:(head + 1) * d] @ o
        h = h + out * r
        x = rms_norm(h, W[p + "post_attention_layernorm.weight"], eps)
        out = torch.zeros_like(h)
        for t in range(T):
            z = W[m + "router.layer.weight"] @ x[t]
            chosen = sorted(range(E), key=lambda j: -float(z[j]))[:k]
            g = torch.exp(z[chosen] - z[chosen].max())
            g = g / g.sum()
            for s, e in enumerate(chosen):
                gu = W[m + "input_linear.weight"][e] @ x[t]
                out[t] += g[s] * (W[m + "output_linear.weight"][e] @ (F.silu(gu[:I]) * gu[I:]))
        h = h + out * r
    return (rms_norm(h, W["model.norm.weight"], eps) @ W["lm_head.weight"].t()) / cfg["logits_scaling"]


# --------------------------------------------------------------------------------------------------
# Seed search, checks, output
# --------------------------------------------------------------------------------------------------


def build(cfg):
    def accept(W, ids, stats):
        return stats["min_gap"] >= MIN_ROUTER_GAP and all_experts_hit(stats["routes"], cfg["num_local_experts"])

    seeds = range(BASE_SEED, BASE_SEED + 200)
    return search_seed(cfg, seeds, init_weights, forward, accept, f"router logit gap >= {MIN_ROUTER_GAP} and all experts hit")


PITFALLS = [
    "inverse_sqrt_scale",  # 1/sqrt(head_dim) instead of attention_multiplier
    "multiply_logits_scaling",  # logits * logits_scaling instead of / logits_scaling
    "no_residual_multiplier",
    "no_embedding_multiplier",
    "softmax_all_no_renorm",  # Mixtral-style softmax over all E without renormalising
    "up_rows_first",  # input_linear rows [0, I) taken as the up projection
    "tiled_kv",  # grouped-query heads tiled (h % nkv) instead of repeated (h // groups)
    "interleaved_rope",  # GPT-J pairs instead of rotate_half
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
