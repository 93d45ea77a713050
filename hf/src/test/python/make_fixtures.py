#!/usr/bin/env python3
# Logits-parity fixture generator for MoE Zoo's Hugging Face checkpoint importer.
#
# This is a plain-torch (float32, eval mode, no dropout, no KV cache) transcription of
# the Hugging Face transformers decoder forward pass for model_type "mixtral" (modeling_mixtral.py),
# "qwen2_moe" (modeling_qwen2_moe.py), "olmoe" (modeling_olmoe.py) and "qwen3_moe"
# (modeling_qwen3_moe.py), with Llama-style RoPE (modeling_llama.py: rotate_half convention). It builds
# tiny seeded random checkpoints, writes them in hub layout (per-expert 2-D keys; mixtral_fused in the
# transformers v5 fused 3-D expert layout) as hand-written safetensors, and records the prefill logits.
# Generic helpers (safetensors, RMSNorm, Llama RoPE, SwiGLU, fixture writers) are in fixture_common.py.
#
# Run from the repository root with the Debian python (apt-get install python3-torch python3-numpy):
#     /usr/bin/python3 hf/src/test/python/make_fixtures.py
#
# Output (hf/src/test/resources/fixtures/):
#     mixtral/          config.json, model.safetensors (F32), expected.json
#     mixtral_bf16/     same weights rounded to bfloat16 (round-to-nearest-even), stored as BF16;
#                       expected.json = float32 forward on the rounded weights
#     mixtral_sharded/  the mixtral tensors split over model-0000{1,2}-of-00002.safetensors
#                       + model.safetensors.index.json, same config.json and expected.json
#     qwen2_moe/        config.json, model.safetensors (F32), expected.json
#     olmoe/            config.json, model.safetensors (F32), expected.json
#     qwen3_moe/        config.json, model.safetensors (F32), expected.json; head_dim (6) != hidden/heads (4),
#                       per-head q_norm/k_norm over head_dim before RoPE, no shared expert, norm_topk_prob
#     mixtral_fused/    the mixtral weights in the transformers v5 layout: model.layers.N.mlp.gate.weight [E, H],
#                       model.layers.N.mlp.experts.gate_up_proj [E, 2I, H] (per expert rows [0, I) = w1 (gate),
#                       rows [I, 2I) = w3 (up)) and model.layers.N.mlp.experts.down_proj [E, H, I] (w2), no
#                       ".weight" suffix on the two fused keys; config.json and expected.json identical to mixtral/
# expected.json = {"input_ids": [7 ids], "logits": [[64 floats] per position]}; every float is the exact
# float32 value written as a decimal that round-trips to it.
#
# The script is deterministic (fixed seeds, one thread) and checks itself before writing anything:
# safetensors round trip, bf16 rounding against torch, k = E MoE equals the dense softmax mixture,
# the expert loop equals a dense masked formulation, RoPE equals the complex-rotation form, prefix
# (causal) invariance, float32 against float64 forward, and a margin between the k-th and (k+1)-th
# router probability so that top-k selection cannot flip under float32 rounding differences.

import copy
import math
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # fixture_common.py lives next to this script
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from fixture_common import (  # noqa: E402
    INIT_STD,
    all_experts_hit,
    apply_rope,
    check,
    check_pitfalls,
    check_prefix_invariance,
    check_rope,
    check_roundtrip,
    linear,
    max_diff,
    read_safetensors,
    rms_norm,
    rope_cos_sin,
    search_seed,
    seeded_weights,
    setup_torch,
    sha_dir,
    swiglu,
    swiglu_mlp,
    topk_gap,
    write_expected,
    write_fixture,
    write_json,
    write_safetensors,
)

OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "fixtures"))

# Minimum gap between the k-th and (k+1)-th router probability (per token, per layer). If a seed
# gives less, the next seed is tried (deterministically), so top-k cannot be decided by rounding.
# The seed search also requires every expert of every layer to receive at least one token, so that
# every expert key takes part in the logits.
MIN_ROUTER_GAP = 5e-3

# --------------------------------------------------------------------------------------------------
# Configs (HF config.json field names)
# --------------------------------------------------------------------------------------------------

COMMON = {
    "vocab_size": 64,
    "hidden_size": 16,
    "intermediate_size": 24,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "hidden_act": "silu",
    "max_position_embeddings": 64,
    "rms_norm_eps": 1e-5,
    "rope_theta": 10000.0,
    "rope_scaling": None,
    "tie_word_embeddings": False,
    "attention_dropout": 0.0,
    "initializer_range": INIT_STD,
    "use_cache": True,
    "bos_token_id": 1,
    "eos_token_id": 2,
    "torch_dtype": "float32",
}

MIXTRAL = dict(
    COMMON,
    model_type="mixtral",
    architectures=["MixtralForCausalLM"],
    num_local_experts=4,
    num_experts_per_tok=2,
    sliding_window=None,
    output_router_logits=False,
    router_aux_loss_coef=0.001,
    router_jitter_noise=0.0,
)

QWEN2_MOE = dict(
    COMMON,
    model_type="qwen2_moe",
    architectures=["Qwen2MoeForCausalLM"],
    moe_intermediate_size=12,
    shared_expert_intermediate_size=20,
    num_experts=4,
    num_experts_per_tok=2,
    norm_topk_prob=False,
    decoder_sparse_step=1,
    mlp_only_layers=[],
    qkv_bias=True,
    use_sliding_window=False,
    sliding_window=None,
    max_window_layers=2,
    output_router_logits=False,
    router_aux_loss_coef=0.001,
)

OLMOE = dict(
    COMMON,
    model_type="olmoe",
    architectures=["OlmoeForCausalLM"],
    num_experts=4,
    num_experts_per_tok=2,
    norm_topk_prob=False,
    attention_bias=False,
    clip_qkv=None,
    output_router_logits=False,
    router_aux_loss_coef=0.01,
)

QWEN3_MOE = dict(
    COMMON,
    model_type="qwen3_moe",
    architectures=["Qwen3MoeForCausalLM"],
    rms_norm_eps=1e-6,
    head_dim=6,  # deliberately != hidden_size / num_attention_heads (= 4)
    moe_intermediate_size=12,
    num_experts=4,
    num_experts_per_tok=2,
    norm_topk_prob=True,
    decoder_sparse_step=1,
    mlp_only_layers=[],
    attention_bias=False,
    use_sliding_window=False,
    sliding_window=None,
    max_window_layers=2,
    output_router_logits=False,
    router_aux_loss_coef=0.001,
)

# Mixtral with a sliding window shorter than the fixture sequence.
MIXTRAL_SWA = dict(MIXTRAL, sliding_window=3)

# Qwen2-MoE whose first layer is a dense SwiGLU MLP (mlp_only_layers), the second an MoE layer.
QWEN2_MOE_DENSE = dict(QWEN2_MOE, mlp_only_layers=[0])

BASE_SEEDS = {"mixtral": 1000, "qwen2_moe": 2000, "olmoe": 3000, "qwen3_moe": 4000}

# Extra fixtures: (directory, config, seed base).
VARIANT_FIXTURES = (
    ("mixtral_swa", MIXTRAL_SWA, 5000),
    ("qwen2_moe_dense", QWEN2_MOE_DENSE, 6000),
)

QWEN_MOE_TYPES = ("qwen2_moe", "qwen3_moe")


def head_dim(cfg):
    # HF: getattr(config, "head_dim", None) or hidden_size // num_attention_heads
    return cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]


def num_experts(cfg):
    return cfg["num_local_experts"] if cfg["model_type"] == "mixtral" else cfg["num_experts"]


def renormalize(cfg):
    return True if cfg["model_type"] == "mixtral" else bool(cfg["norm_topk_prob"])


def is_sparse_layer(cfg, layer):
    if cfg["model_type"] not in QWEN_MOE_TYPES:
        return True
    return (
        layer not in cfg["mlp_only_layers"]
        and cfg["num_experts"] > 0
        and (layer + 1) % cfg["decoder_sparse_step"] == 0
    )


# --------------------------------------------------------------------------------------------------
# Parameter layout (hub key names, nn.Linear [out, in] shapes) and seeded initialisation
# --------------------------------------------------------------------------------------------------


def param_shapes(cfg):
    """Ordered list of (key, shape, kind); kind is 'norm' (init 1 + N(0, std)) or 'w' (N(0, std))."""
    t = cfg["model_type"]
    H, V, L = cfg["hidden_size"], cfg["vocab_size"], cfg["num_hidden_layers"]
    nh, nkv, hd = cfg["num_attention_heads"], cfg["num_key_value_heads"], head_dim(cfg)
    E = num_experts(cfg)
    out = [("model.embed_tokens.weight", [V, H], "w")]
    for n in range(L):
        p = f"model.layers.{n}."
        out.append((p + "input_layernorm.weight", [H], "norm"))
        out.append((p + "self_attn.q_proj.weight", [nh * hd, H], "w"))
        out.append((p + "self_attn.k_proj.weight", [nkv * hd, H], "w"))
        out.append((p + "self_attn.v_proj.weight", [nkv * hd, H], "w"))
        if t == "qwen2_moe":
            out.append((p + "self_attn.q_proj.bias", [nh * hd], "w"))
            out.append((p + "self_attn.k_proj.bias", [nkv * hd], "w"))
            out.append((p + "self_attn.v_proj.bias", [nkv * hd], "w"))
        out.append((p + "self_attn.o_proj.weight", [H, nh * hd], "w"))
        if t == "olmoe":
            out.append((p + "self_attn.q_norm.weight", [nh * hd], "norm"))
            out.append((p + "self_attn.k_norm.weight", [nkv * hd], "norm"))
        if t == "qwen3_moe":  # one RMSNorm weight over head_dim, shared by all heads
            out.append((p + "self_attn.q_norm.weight", [hd], "norm"))
            out.append((p + "self_attn.k_norm.weight", [hd], "norm"))
        out.append((p + "post_attention_layernorm.weight", [H], "norm"))
        if t == "mixtral":
            I = cfg["intermediate_size"]
            m = p + "block_sparse_moe."
            out.append((m + "gate.weight", [E, H], "w"))
            for j in range(E):
                out.append((m + f"experts.{j}.w1.weight", [I, H], "w"))
                out.append((m + f"experts.{j}.w2.weight", [H, I], "w"))
                out.append((m + f"experts.{j}.w3.weight", [I, H], "w"))
        elif is_sparse_layer(cfg, n):
            I = cfg["moe_intermediate_size"] if t in QWEN_MOE_TYPES else cfg["intermediate_size"]
            m = p + "mlp."
            out.append((m + "gate.weight", [E, H], "w"))
            for j in range(E):
                out.append((m + f"experts.{j}.gate_proj.weight", [I, H], "w"))
                out.append((m + f"experts.{j}.up_proj.weight", [I, H], "w"))
                out.append((m + f"experts.{j}.down_proj.weight", [H, I], "w"))
            if t == "qwen2_moe":
                S = cfg["shared_expert_intermediate_size"]
                out.append((m + "shared_expert.gate_proj.weight", [S, H], "w"))
                out.append((m + "shared_expert.up_proj.weight", [S, H], "w"))
                out.append((m + "shared_expert.down_proj.weight", [H, S], "w"))
                out.append((m + "shared_expert_gate.weight", [1, H], "w"))
        else:  # dense Qwen2/3-MoE layer (not reached with mlp_only_layers=[] and step 1)
            I = cfg["intermediate_size"]
            out.append((p + "mlp.gate_proj.weight", [I, H], "w"))
            out.append((p + "mlp.up_proj.weight", [I, H], "w"))
            out.append((p + "mlp.down_proj.weight", [H, I], "w"))
    out.append(("model.norm.weight", [H], "norm"))
    out.append(("lm_head.weight", [V, H], "w"))
    return out


def init_weights(cfg, seed):
    return seeded_weights(param_shapes(cfg), cfg["vocab_size"], seed)


# --------------------------------------------------------------------------------------------------
# Forward pass (one sequence, no batch dim; x is [S, H])
# --------------------------------------------------------------------------------------------------


def attention(cfg, W, p, x, cos, sin, variant):
    S = x.shape[0]
    nh, nkv, hd = cfg["num_attention_heads"], cfg["num_key_value_heads"], head_dim(cfg)
    eps = cfg["rms_norm_eps"]
    bias = cfg["model_type"] == "qwen2_moe" and "no_qkv_bias" not in variant
    q = linear(x, W, p + "q_proj", bias)
    k = linear(x, W, p + "k_proj", bias)
    v = linear(x, W, p + "v_proj", bias)
    if cfg["model_type"] == "olmoe":
        if "per_head_qk_norm" in variant:  # Qwen3-style per-head norm (a known pitfall for OLMoE)
            q = rms_norm(q.view(S, nh, hd), W[p + "q_norm.weight"].view(nh, hd), eps).reshape(S, -1)
            k = rms_norm(k.view(S, nkv, hd), W[p + "k_norm.weight"].view(nkv, hd), eps).reshape(S, -1)
        else:  # OLMoE: RMSNorm over the full projected q / k, before splitting into heads
            q = rms_norm(q, W[p + "q_norm.weight"], eps)
            k = rms_norm(k, W[p + "k_norm.weight"], eps)
        clip = cfg.get("clip_qkv")
        if clip is not None:
            q, k, v = q.clamp(-clip, clip), k.clamp(-clip, clip), v.clamp(-clip, clip)
    q = q.view(S, nh, hd).transpose(0, 1)  # [nh, S, hd]
    k = k.view(S, nkv, hd).transpose(0, 1)  # [nkv, S, hd]
    v = v.view(S, nkv, hd).transpose(0, 1)
    qwen3_norm = cfg["model_type"] == "qwen3_moe" and "no_qk_norm" not in variant
    if qwen3_norm and "qk_norm_after_rope" not in variant:
        # Qwen3-MoE: RMSNorm over head_dim, per head, after the split into heads and before RoPE
        q = rms_norm(q, W[p + "q_norm.weight"], eps)
        k = rms_norm(k, W[p + "k_norm.weight"], eps)
    q = apply_rope(q, cos, sin, variant)
    k = apply_rope(k, cos, sin, variant)
    if qwen3_norm and "qk_norm_after_rope" in variant:  # pitfall: norm applied to the rotated q / k
        q = rms_norm(q, W[p + "q_norm.weight"], eps)
        k = rms_norm(k, W[p + "k_norm.weight"], eps)
    rep = nh // nkv  # HF repeat_kv: query head h reads kv head h // rep
    k = k.repeat_interleave(rep, dim=0)
    v = v.repeat_interleave(rep, dim=0)
    scale_dim = cfg["hidden_size"] // nh if "scale_hidden_over_heads" in variant else hd  # pitfall: wrong head_dim
    scores = (q @ k.transpose(-1, -2)) / math.sqrt(scale_dim)  # [nh, S, S]
    causal = torch.ones(S, S, dtype=torch.bool).triu(1)
    window = cfg.get("sliding_window")
    if cfg["model_type"] == "mixtral" and window:
        # HF sliding window: query i sees keys j with i - window < j <= i (window tokens incl. itself)
        pos = torch.arange(S)
        causal = causal | (pos[:, None] - pos[None, :] >= window)
    scores = scores.masked_fill(causal, float("-inf"))
    probs = torch.softmax(scores, dim=-1)
    out = (probs @ v).transpose(0, 1).reshape(S, nh * hd)
    return linear(out, W, p + "o_proj")


def expert_weights(cfg, W, p, j, variant=()):
    fused = p + "mlp.experts.gate_up_proj"
    if fused in W:  # transformers v5 fused layout: [E, 2I, H] (gate rows then up rows) and [E, H, I]
        gu, down = W[fused][j], W[p + "mlp.experts.down_proj"][j]
        I = gu.shape[0] // 2
        if "interleaved_gate_up" in variant:  # pitfall: gate/up rows alternating (gpt-oss style)
            return gu[0::2], gu[1::2], down
        if "swap_gate_up" in variant:  # pitfall: up first, then gate
            return gu[I:], gu[:I], down
        return gu[:I], gu[I:], down
    if cfg["model_type"] == "mixtral":
        m = p + f"block_sparse_moe.experts.{j}."
        return W[m + "w1.weight"], W[m + "w3.weight"], W[m + "w2.weight"]  # gate, up, down
    m = p + f"mlp.experts.{j}."
    return W[m + "gate_proj.weight"], W[m + "up_proj.weight"], W[m + "down_proj.weight"]


def router_weight(cfg, W, p):
    if cfg["model_type"] == "mixtral" and p + "block_sparse_moe.gate.weight" not in W:
        return W[p + "mlp.gate.weight"]  # transformers v5 name (block_sparse_moe renamed to mlp)
    return W[p + ("block_sparse_moe." if cfg["model_type"] == "mixtral" else "mlp.") + "gate.weight"]


def route(x, w_gate, k, renorm):
    logits = x @ w_gate.t()
    probs = torch.softmax(logits, dim=-1)  # over ALL experts (x is float32 already)
    top_w, top_i = torch.topk(probs, k, dim=-1)  # sorted, descending
    if renorm:
        top_w = top_w / top_w.sum(dim=-1, keepdim=True)
    return top_w.to(x.dtype), top_i, probs


def moe(cfg, W, p, x, variant, stats, k=None):
    E = num_experts(cfg)
    k = cfg["num_experts_per_tok"] if k is None else k
    renorm = renormalize(cfg) != ("flip_renorm" in variant)
    top_w, top_i, probs = route(x, router_weight(cfg, W, p), k, renorm)
    if stats is not None and k < E:
        stats["min_gap"] = min(stats.get("min_gap", 1.0), topk_gap(probs, k))
        stats.setdefault("routes", []).append(top_i.tolist())
    # HF eager loop: for each expert that was hit, run it on its tokens and index_add weight * out
    out = torch.zeros_like(x)
    for e in range(E):
        tok, slot = torch.where(top_i == e)
        if tok.numel() == 0:
            continue
        y = swiglu(x[tok], *expert_weights(cfg, W, p, e, variant))
        out.index_add_(0, tok, y * top_w[tok, slot, None])
    if cfg["model_type"] == "qwen2_moe":
        shared = swiglu_mlp(x, W, p + "mlp.shared_expert.")
        if "no_shared_gate" not in variant:
            shared = torch.sigmoid(x @ W[p + "mlp.shared_expert_gate.weight"].t()) * shared
        out = out + shared
    return out


def mlp(cfg, W, layer, x, variant, stats):
    p = f"model.layers.{layer}."
    if is_sparse_layer(cfg, layer):
        return moe(cfg, W, p, x, variant, stats)
    return swiglu_mlp(x, W, p + "mlp.")


def forward(cfg, W, input_ids, variant=(), stats=None):
    dtype = W["model.embed_tokens.weight"].dtype
    eps = cfg["rms_norm_eps"]
    S = input_ids.shape[0]
    cos, sin = rope_cos_sin(S, head_dim(cfg), cfg["rope_theta"], dtype)
    h = W["model.embed_tokens.weight"][input_ids]
    for n in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{n}."
        h = h + attention(cfg, W, p + "self_attn.", rms_norm(h, W[p + "input_layernorm.weight"], eps), cos, sin, variant)
        h = h + mlp(cfg, W, n, rms_norm(h, W[p + "post_attention_layernorm.weight"], eps), variant, stats)
    h = rms_norm(h, W["model.norm.weight"], eps)
    return h @ W["lm_head.weight"].t()  # [S, V]


# --------------------------------------------------------------------------------------------------
# bfloat16 rounding (the BF16 safetensors encoding itself is in fixture_common.py)
# --------------------------------------------------------------------------------------------------


def bf16_round(t):
    """float32 -> nearest bfloat16 (round half to even), returned widened back to float32."""
    bits = t.contiguous().numpy().view(np.uint32).astype(np.uint64)
    lsb = (bits >> 16) & 1
    rounded = ((bits + 0x7FFF + lsb) >> 16) << 16  # no NaN/Inf in these weights
    return torch.from_numpy((rounded & 0xFFFFFFFF).astype(np.uint32).view(np.float32).copy()).reshape(t.shape)


# --------------------------------------------------------------------------------------------------
# Self checks
# --------------------------------------------------------------------------------------------------


def check_moe_identities(cfg, W):
    E = num_experts(cfg)
    g = torch.Generator().manual_seed(7)
    x = torch.randn(11, cfg["hidden_size"], generator=g, dtype=torch.float64)
    W64 = {k: v.double() for k, v in W.items()}
    for n in range(cfg["num_hidden_layers"]):
        if not is_sparse_layer(cfg, n):
            continue
        p = f"model.layers.{n}."
        probs = torch.softmax(x @ router_weight(cfg, W64, p).t(), dim=-1)
        outs = torch.stack([swiglu(x, *expert_weights(cfg, W64, p, e)) for e in range(E)], dim=1)  # [T,E,H]
        shared = torch.zeros_like(x)
        if cfg["model_type"] == "qwen2_moe":
            shared_gate = torch.sigmoid(x @ W64[p + "mlp.shared_expert_gate.weight"].t())
            shared = shared_gate * swiglu_mlp(x, W64, p + "mlp.shared_expert.")
        # (1) k = E: the sparse block equals the dense softmax mixture (renormalisation is a no-op).
        dense = (probs[..., None] * outs).sum(1) + shared
        d = max_diff(moe(cfg, W64, p, x, (), None, k=E), dense)
        check(d < 1e-12, f"{cfg['model_type']} layer {n}: k=E MoE != dense mixture ({d})")
        # (2) the HF expert loop equals a dense masked formulation at the configured k.
        k = cfg["num_experts_per_tok"]
        top_w, top_i = torch.topk(probs, k, dim=-1)
        if renormalize(cfg):
            top_w = top_w / top_w.sum(-1, keepdim=True)
        gates = torch.zeros_like(probs).scatter(1, top_i, top_w)
        masked = (gates[..., None] * outs).sum(1) + shared
        d = max_diff(moe(cfg, W64, p, x, (), None), masked)
        check(d < 1e-12, f"{cfg['model_type']} layer {n}: expert loop != masked mixture ({d})")


def check_bf16_rounding():
    g = torch.Generator().manual_seed(5)
    x = torch.randn(4096, generator=g) * 3
    # plus exact halfway cases (1 + 2^-8 rounds down to even, 1 + 3*2^-8 rounds up) and a subnormal
    ties = torch.tensor([1 + 2**-8, 1 + 3 * 2**-8, -(1 + 2**-8), 2 ** -130 + 2 ** -140], dtype=torch.float32)
    x = torch.cat((x, ties))
    check(torch.equal(bf16_round(x), x.to(torch.bfloat16).float()), "bf16 rounding != torch RNE cast")


# --------------------------------------------------------------------------------------------------
# Fixture building
# --------------------------------------------------------------------------------------------------


def build(cfg, base=None):
    """Seed search: first seed (from the base) whose routing margin is comfortable, also after bf16."""
    t = cfg["model_type"]
    base = BASE_SEEDS[t] if base is None else base

    def accept(W, ids, stats):
        runs = [stats]
        if t == "mixtral":  # mixtral_bf16 reuses the seed, so its routing must be safe as well
            s2 = {}
            forward(cfg, {k: bf16_round(v) for k, v in W.items()}, ids, (), s2)
            runs.append(s2)
        return all(r["min_gap"] >= MIN_ROUTER_GAP and all_experts_hit(r["routes"], num_experts(cfg)) for r in runs)

    seeds = range(base, base + 100)
    return search_seed(cfg, seeds, init_weights, forward, accept, f"router gap >= {MIN_ROUTER_GAP} and all experts hit")


def verify_forward(cfg, W, ids, logits, extra_variants=()):
    """Checks on the chosen weights; returns a dict of numbers for the summary."""
    info = {}
    # float64 forward with the same weights: float32 error budget (same routing is asserted by the gap).
    W64 = {k: v.double() for k, v in W.items()}
    info["fp32_vs_fp64"] = max_diff(logits, forward(cfg, W64, ids))
    check(info["fp32_vs_fp64"] < 1e-5, f"fp32 vs fp64 forward differ by {info['fp32_vs_fp64']}")
    check_prefix_invariance(lambda prefix: forward(cfg, W, prefix), ids, logits)
    # the fixture must tell common mistakes apart (diffs well above a 1e-4 test tolerance)
    variants = ["interleaved_rope", "flip_renorm"]
    if cfg["model_type"] == "qwen2_moe":
        variants += ["no_shared_gate", "no_qkv_bias"]
    if cfg["model_type"] == "olmoe":
        variants.append("per_head_qk_norm")
    if cfg["model_type"] == "qwen3_moe":
        variants += ["no_qk_norm", "qk_norm_after_rope", "scale_hidden_over_heads"]
    variants += list(extra_variants)
    info["pitfalls"] = check_pitfalls(lambda v: forward(cfg, W, ids, v), logits, variants)
    return info


def write_sharded(name, cfg, W, ids, logits):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    write_json(os.path.join(d, "config.json"), cfg)
    keys = sorted(W)
    sizes = [W[k].numel() * 4 for k in keys]
    total = sum(sizes)
    # split at the first key that crosses half the bytes (as save_pretrained's max_shard_size would)
    acc, cut = 0, len(keys)
    for i, s in enumerate(sizes):
        if acc + s > total // 2:
            cut = i
            break
        acc += s
    shards = [keys[:cut], keys[cut:]]
    weight_map = {}
    for i, part in enumerate(shards):
        fname = f"model-{i + 1:05d}-of-{len(shards):05d}.safetensors"
        write_safetensors(os.path.join(d, fname), [(k, W[k]) for k in part], "F32")
        check_roundtrip(os.path.join(d, fname), {k: W[k] for k in part}, "F32")
        weight_map.update({k: fname for k in part})
    index = {"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}
    write_json(os.path.join(d, "model.safetensors.index.json"), index)
    # re-read through the index and compare with the full weights
    merged = {}
    for fname in sorted(set(weight_map.values())):
        part, _, _ = read_safetensors(os.path.join(d, fname))
        check(all(weight_map[k] == fname for k in part), "index does not match shard contents")
        merged.update(part)
    check(set(merged) == set(W) and all(torch.equal(merged[k], W[k]) for k in W), "sharded round trip")
    write_expected(os.path.join(d, "expected.json"), ids, logits)
    return d, shards


def fuse_mixtral(cfg, W):
    """Hub-layout Mixtral weights -> transformers v5 fused layout (what save_pretrained writes in v5).

    Per layer: block_sparse_moe.gate.weight -> mlp.gate.weight; experts.J.{w1,w3}.weight stacked over J and
    concatenated on the output dim -> mlp.experts.gate_up_proj [E, 2I, H]; experts.J.w2.weight stacked over J
    -> mlp.experts.down_proj [E, H, I]. Everything else is unchanged."""
    E, L = num_experts(cfg), cfg["num_hidden_layers"]
    out = {k: v for k, v in W.items() if ".block_sparse_moe." not in k}
    for n in range(L):
        m, f = f"model.layers.{n}.block_sparse_moe.", f"model.layers.{n}.mlp."
        out[f + "gate.weight"] = W[m + "gate.weight"]
        out[f + "experts.gate_up_proj"] = torch.stack(
            [torch.cat((W[m + f"experts.{j}.w1.weight"], W[m + f"experts.{j}.w3.weight"]), dim=0) for j in range(E)]
        )
        out[f + "experts.down_proj"] = torch.stack([W[m + f"experts.{j}.w2.weight"] for j in range(E)])
    moe_keys = sum(1 for k in W if ".block_sparse_moe." in k)
    check(moe_keys == L * (1 + 3 * E) and len(out) == len(W) - moe_keys + 3 * L, "fused key count")
    return out


def write_fused(name, cfg, W, ids, logits):
    """mixtral_fused: same config.json and expected.json bytes as the mixtral fixture, fused expert tensors."""
    Wf = fuse_mixtral(cfg, W)
    E, H, I = num_experts(cfg), cfg["hidden_size"], cfg["intermediate_size"]
    for n in range(cfg["num_hidden_layers"]):
        f = f"model.layers.{n}.mlp."
        check(list(Wf[f + "gate.weight"].shape) == [E, H], "fused router shape")
        check(list(Wf[f + "experts.gate_up_proj"].shape) == [E, 2 * I, H], "gate_up_proj shape")
        check(list(Wf[f + "experts.down_proj"].shape) == [E, H, I], "down_proj shape")
    d = write_fixture(os.path.join(OUT, name), cfg, Wf, ids, logits)
    # independent re-read: the forward on the fused tensors (sliced per expert) must give the same logits
    back, _, _ = read_safetensors(os.path.join(d, "model.safetensors"))
    check(not any(".block_sparse_moe." in k for k in back), "fused file must not hold block_sparse_moe keys")
    check(all(k.endswith(".weight") == (not k.endswith(("gate_up_proj", "down_proj"))) for k in back),
          "only the two fused expert keys lack the .weight suffix")
    got = forward(cfg, back, ids)
    check(max_diff(got, logits) < 1e-6, f"fused forward differs from mixtral by {max_diff(got, logits)}")
    check_moe_identities(cfg, back)
    info = verify_forward(cfg, back, ids, got, ("swap_gate_up", "interleaved_gate_up"))
    mix = os.path.join(OUT, "mixtral")
    for fn in ("config.json", "expected.json"):
        with open(os.path.join(d, fn), "rb") as a, open(os.path.join(mix, fn), "rb") as b:
            check(a.read() == b.read(), f"{name}/{fn} must equal mixtral/{fn}")
    return d, back, max_diff(got, logits), info


def routing_summary(cfg, stats):
    E = num_experts(cfg)
    used = [sorted({e for tok in layer for e in tok}) for layer in stats["routes"]]
    return "experts hit per layer " + "/".join(f"{len(u)}of{E}" for u in used)


def main():
    setup_torch(OUT)
    check_rope()
    check_bf16_rounding()
    os.makedirs(OUT, exist_ok=True)
    lines = []
    for cfg in (MIXTRAL, QWEN2_MOE, OLMOE, QWEN3_MOE):
        t = cfg["model_type"]
        seed, W, ids, logits, stats = build(cfg)
        check_moe_identities(cfg, W)
        info = verify_forward(cfg, W, ids, logits)
        write_fixture(os.path.join(OUT, t), cfg, W, ids, logits)
        pit = ", ".join(f"{k} {v:.3f}" for k, v in info["pitfalls"].items())
        lines.append(
            f"{t:16s} seed {seed} ids {ids.tolist()} |logits|max {float(logits.abs().max()):.3f} "
            f"router gap {stats['min_gap']:.4f} {routing_summary(cfg, stats)}; fp32-fp64 {info['fp32_vs_fp64']:.1e}; "
            f"pitfall diffs: {pit}"
        )
        if t == "mixtral":
            Wb = {k: bf16_round(v) for k, v in W.items()}
            sb = {}
            logits_b = forward(cfg, Wb, ids, (), sb)
            check_moe_identities(cfg, Wb)
            verify_forward(cfg, Wb, ids, logits_b)
            cfg_b = copy.deepcopy(cfg)
            cfg_b["torch_dtype"] = "bfloat16"
            write_fixture(os.path.join(OUT, "mixtral_bf16"), cfg_b, Wb, ids, logits_b, dtype="BF16")
            lines.append(
                f"{'mixtral_bf16':16s} same seed, weights bf16-rounded (RNE); router gap {sb['min_gap']:.4f}; "
                f"logits differ from f32 fixture by {max_diff(logits_b, logits):.3f}"
            )
            _, shards = write_sharded("mixtral_sharded", cfg, W, ids, logits)
            lines.append(
                f"{'mixtral_sharded':16s} {len(shards[0])} + {len(shards[1])} tensors; "
                f"first split key {shards[1][0]}"
            )
            _, Wf, dfused, finfo = write_fused("mixtral_fused", cfg, W, ids, logits)
            lines.append(
                f"{'mixtral_fused':16s} {len(Wf)} tensors (v5 fused experts); forward on fused vs mixtral "
                f"{dfused:.1e}; swap_gate_up {finfo['pitfalls']['swap_gate_up']:.3f}, "
                f"interleaved_gate_up {finfo['pitfalls']['interleaved_gate_up']:.3f}"
            )
    for name, cfg, base in VARIANT_FIXTURES:
        seed, W, ids, logits, stats = build(cfg, base)
        check_moe_identities(cfg, W)
        verify_forward(cfg, W, ids, logits)
        write_fixture(os.path.join(OUT, name), cfg, W, ids, logits)
        # What the fixture catches: the logits of the same weights without the variant's feature.
        if name == "mixtral_swa":
            diff = max_diff(forward(dict(cfg, sliding_window=None), W, ids), logits)
            check(diff > 1e-2, "sliding window changes the logits")
            missed = f"logits without the window differ by {diff:.3f}"
        else:
            missed = "layer 0 dense (mlp.gate_proj/up_proj/down_proj), layer 1 MoE"
        lines.append(f"{name:16s} seed {seed} ids {ids.tolist()} {routing_summary(cfg, stats)}; {missed}")
    total = 0
    for root, _, files in os.walk(OUT):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    print("\n".join(lines))
    print(f"all self-checks passed; fixtures total {total} bytes, sha256[:12] {sha_dir(OUT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
