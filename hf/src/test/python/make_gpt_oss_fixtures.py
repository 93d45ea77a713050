#!/usr/bin/env python3
# Logits-parity fixture generator for MoE Zoo's gpt-oss (model_type "gpt_oss") checkpoint import.
#
# A plain-torch (eval mode, no KV cache) transcription of the Hugging Face transformers gpt-oss forward
# pass (src/transformers/models/gpt_oss/modeling_gpt_oss.py eager attention, GptOssTopKRouter,
# GptOssExperts; YaRN from modeling_rope_utils._compute_yarn_parameters; MXFP4 decoding from
# integrations/mxfp4.py), as summarised in ../shared/reference/moe-reference-semantics.md §9. It builds a
# tiny seeded random checkpoint whose expert weights are MXFP4 codes (so the hub layout and a dequantized
# copy hold exactly the same values), rounds every other weight to bfloat16 (as the hub stores them) and
# records the float32 prefill logits.
#
# Run from the repository root with the Debian python (apt-get install python3-torch python3-numpy):
#     /usr/bin/python3 hf/src/test/python/make_gpt_oss_fixtures.py
#
# Output, two checkpoints of the same model and one expected.json each (identical):
#   hf/src/test/resources/fixtures/gpt_oss/        the hub layout: experts as *_blocks + *_scales (U8),
#                                                 quantization_config {quant_method: mxfp4}, the rest BF16
#   hf/src/test/resources/fixtures/gpt_oss_bf16/   save_pretrained of the dequantized model: experts
#                                                 gate_up_proj [E, H, 2I] and down_proj [E, I, H] (x·W), BF16
#
# Reference semantics transcribed here (T tokens, nh / nkv heads of d = head_dim, window w):
#   attention: q = a Wq^T + bq, k = a Wk^T + bk, v = a Wv^T + bv; YaRN RoPE (rotate-half over all d, cos and
#              sin multiplied by the attention factor 0.1 ln(f) + 1); scores = q k^T / sqrt(d) + mask
#              mask: causal; layer_types "sliding_attention" layers also hide keys j <= t - w
#              sink: per head a learned logit appended as an extra column, softmax, column dropped
#              o = p v; out = o Wo^T + bo
#   MoE (every layer): z = x Wr^T + br; (v, idx) = topk(z, k); w = softmax(v)
#              gu = x W_gu[e] + b_gu[e] with W_gu = gate_up_proj [E, H, 2I]; gate = gu[0::2], up = gu[1::2]
#              gate = min(gate, limit); up = clamp(up, -limit, limit); h = (up + 1) * gate * sigmoid(alpha gate)
#              y = sum_j w_j (h W_d[idx_j] + b_d[idx_j]) with W_d = down_proj [E, I, H]
#   logits = RMSNorm(h) lm_head^T

import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # fixture_common.py lives next to this script
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from fixture_common import (  # noqa: E402
    INIT_STD,
    SEQ_LEN,
    all_experts_hit,
    check,
    check_pitfalls,
    check_prefix_invariance,
    max_diff,
    rms_norm,
    rotate_half,
    sha_dir,
    setup_torch,
    topk_gap,
    write_expected,
    write_json,
)

FIXTURES = os.path.normpath(os.path.join(HERE, "..", "resources", "fixtures"))
OUT_HUB = os.path.join(FIXTURES, "gpt_oss")
OUT_DEQ = os.path.join(FIXTURES, "gpt_oss_bf16")

BASE_SEED = 9000
MIN_ROUTER_GAP = 1e-2  # between the k-th and (k+1)-th router logit of every token
SINK_STD = 1.0  # sinks ~ N(0, 1): large enough to matter over 7 positions

# HF GptOssConfig field names. H and I are multiples of 32 (one MXFP4 block); head_dim * heads (64)
# differs from hidden_size (32) as in the released models (64 * 64 != 2880); the window (4) is shorter
# than the prompt (7) so that it hides keys; YaRN as in gpt-oss (factor 32, no truncation) but over 256
# original positions (max_position_embeddings = 32 * 256 keeps the factor whichever way it is read): with
# head_dim 16 the ramp then runs from dim pair 0.16 to 2.49, where 7 positions turn the angles enough to
# tell the truncated range (0 .. 3) apart.
CONFIG = {
    "vocab_size": 64,
    "hidden_size": 32,
    "intermediate_size": 32,
    "num_hidden_layers": 3,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "head_dim": 16,
    "num_local_experts": 4,
    "num_experts_per_tok": 2,
    "experts_per_token": 2,
    "sliding_window": 4,
    "layer_types": ["sliding_attention", "full_attention", "sliding_attention"],
    "rope_theta": 150000.0,
    "rope_scaling": {
        "rope_type": "yarn",
        "factor": 32.0,
        "beta_fast": 32.0,
        "beta_slow": 1.0,
        "truncate": False,
        "original_max_position_embeddings": 256,
    },
    "max_position_embeddings": 8192,
    "initial_context_length": 256,
    "attention_bias": True,
    "attention_dropout": 0.0,
    "swiglu_limit": 7.0,
    "hidden_act": "silu",
    "rms_norm_eps": 1e-5,
    "initializer_range": INIT_STD,
    "tie_word_embeddings": False,
    "router_aux_loss_coef": 0.9,
    "output_router_logits": False,
    "use_cache": True,
    "eos_token_id": 2,
    "pad_token_id": 0,
    "model_type": "gpt_oss",
    "architectures": ["GptOssForCausalLM"],
    "torch_dtype": "bfloat16",
}

QUANTIZATION = {
    "quant_method": "mxfp4",
    "modules_to_not_convert": [
        "model.layers.*.self_attn",
        "model.layers.*.mlp.router",
        "model.embed_tokens",
        "lm_head",
    ],
}

ALPHA = 1.702  # swiglu_alpha (transformers' default; the config above does not set it)

# e2m1 by nibble: bit 3 is the sign (semantics §9.6).
FP4 = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, -0.0, -0.5, -1.0, -1.5, -2.0, -3.0, -4.0, -6.0]


# --------------------------------------------------------------------------------------------------
# Weights: bf16-rounded dense tensors, MXFP4 experts
# --------------------------------------------------------------------------------------------------


def bf16(t):
    return t.to(torch.bfloat16).to(torch.float32)


def dense_shapes(cfg):
    H, V, L = cfg["hidden_size"], cfg["vocab_size"], cfg["num_hidden_layers"]
    nh, nkv, d = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"]
    E, I = cfg["num_local_experts"], cfg["intermediate_size"]
    out = [("model.embed_tokens.weight", [V, H], "w")]
    for n in range(L):
        p = f"model.layers.{n}."
        a, m = p + "self_attn.", p + "mlp."
        out += [
            (p + "input_layernorm.weight", [H], "norm"),
            (a + "q_proj.weight", [nh * d, H], "w"), (a + "q_proj.bias", [nh * d], "bias"),
            (a + "k_proj.weight", [nkv * d, H], "w"), (a + "k_proj.bias", [nkv * d], "bias"),
            (a + "v_proj.weight", [nkv * d, H], "w"), (a + "v_proj.bias", [nkv * d], "bias"),
            (a + "o_proj.weight", [H, nh * d], "w"), (a + "o_proj.bias", [H], "bias"),
            (a + "sinks", [nh], "sink"),
            (p + "post_attention_layernorm.weight", [H], "norm"),
            (m + "router.weight", [E, H], "w"), (m + "router.bias", [E], "bias"),
            (m + "experts.gate_up_proj_bias", [E, 2 * I], "bias"),
            (m + "experts.down_proj_bias", [E, H], "bias"),
        ]
    out.append(("model.norm.weight", [H], "norm"))
    out.append(("lm_head.weight", [V, H], "w"))
    return out


def decode_mxfp4(blocks, scales):
    """[E, R, G, 16] codes + [E, R, G] scale bytes -> [E, R, 32 G] float32 (low nibble first)."""
    table = torch.tensor(FP4, dtype=torch.float32)
    lo, hi = (blocks & 0x0F).long(), (blocks >> 4).long()
    codes = torch.stack((lo, hi), dim=-1).reshape(*blocks.shape[:-1], 32)  # [E, R, G, 32]
    values = table[codes] * torch.pow(2.0, scales.float() - 127.0)[..., None]
    return values.reshape(blocks.shape[0], blocks.shape[1], -1)


def random_mxfp4(gen, E, R, C):
    blocks = torch.randint(0, 256, (E, R, C // 32, 16), generator=gen, dtype=torch.int64).to(torch.uint8)
    # scale 2^-5 .. 2^-2: pre-activations large enough that the clamp at 7 bites now and then
    scales = torch.randint(122, 126, (E, R, C // 32), generator=gen, dtype=torch.int64).to(torch.uint8)
    return blocks, scales


def init_weights(cfg, seed):
    """Returns (W with float32 values, packed {key: (blocks, scales)}, input_ids)."""
    torch.manual_seed(seed)
    W = {}
    for key, shape, kind in dense_shapes(cfg):
        std = {"w": INIT_STD, "norm": INIT_STD, "bias": 0.1, "sink": SINK_STD}[kind]
        w = torch.randn(shape, dtype=torch.float32) * std
        W[key] = bf16(w + 1.0 if kind == "norm" else w)
    ids = torch.randint(0, cfg["vocab_size"], (SEQ_LEN,), dtype=torch.int64)
    gen = torch.Generator().manual_seed(seed + 1)
    H, I, E = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_local_experts"]
    packed = {}
    for n in range(cfg["num_hidden_layers"]):
        x = f"model.layers.{n}.mlp.experts."
        for name, R, C in (("gate_up_proj", 2 * I, H), ("down_proj", H, I)):
            blocks, scales = random_mxfp4(gen, E, R, C)
            packed[x + name] = (blocks, scales)
            # HF's loader transposes the [E, out, in] values to its x·W parameters.
            W[x + name] = decode_mxfp4(blocks, scales).transpose(1, 2).contiguous()
    return W, packed, ids


# --------------------------------------------------------------------------------------------------
# YaRN (modeling_rope_utils._compute_yarn_parameters) and the HF-literal forward (batch of one)
# --------------------------------------------------------------------------------------------------


def yarn_inv_freq(d, base, scaling, variant=()):
    """float32 inverse frequencies and the attention factor."""
    factor, L0 = scaling["factor"], scaling["original_max_position_embeddings"]
    beta_fast, beta_slow = scaling["beta_fast"], scaling["beta_slow"]
    pos_freqs = base ** (torch.arange(0, d, 2, dtype=torch.int64).float() / d)
    extrapolation = 1.0 / pos_freqs
    interpolation = 1.0 / (factor * pos_freqs)
    if "plain_rope" in variant:
        return extrapolation, 1.0

    def correction_dim(rotations):
        return (d * math.log(L0 / (rotations * 2 * math.pi))) / (2 * math.log(base))

    low, high = correction_dim(beta_fast), correction_dim(beta_slow)
    if scaling["truncate"] or "truncate" in variant:
        low, high = math.floor(low), math.ceil(high)
    low, high = max(low, 0), min(high, d - 1)
    if low == high:
        high += 0.001
    ramp = ((torch.arange(d // 2, dtype=torch.float32) - low) / (high - low)).clamp(0, 1)
    extrapolation_factor = 1 - ramp
    inv_freq = interpolation * (1 - extrapolation_factor) + extrapolation * extrapolation_factor
    mscale = 1.0 if "no_mscale" in variant else 0.1 * math.log(factor) + 1.0
    return inv_freq, mscale


def cos_sin(cfg, T, dtype, variant=()):
    inv_freq, mscale = yarn_inv_freq(cfg["head_dim"], cfg["rope_theta"], cfg["rope_scaling"], variant)
    freqs = torch.outer(torch.arange(T, dtype=torch.int64).float(), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return (emb.cos() * mscale).to(dtype), (emb.sin() * mscale).to(dtype)


def window_of(cfg, n, variant):
    types = cfg["layer_types"]
    if "swap_layer_types" in variant:
        types = ["full_attention" if t == "sliding_attention" else "sliding_attention" for t in types]
    if "no_window" in variant or types[n] != "sliding_attention":
        return 0
    return cfg["sliding_window"] + (1 if "window_plus_one" in variant else 0)


def attention_hf(cfg, W, a, x, window, variant):
    """GptOssAttention.forward with eager_attention_forward on x [T, H]."""
    T = x.shape[0]
    nh, nkv, d = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"]
    q = (x @ W[a + "q_proj.weight"].t() + W[a + "q_proj.bias"]).view(T, nh, d).transpose(0, 1)
    k = (x @ W[a + "k_proj.weight"].t() + W[a + "k_proj.bias"]).view(T, nkv, d).transpose(0, 1)
    v = (x @ W[a + "v_proj.weight"].t() + W[a + "v_proj.bias"]).view(T, nkv, d).transpose(0, 1)
    cos, sin = cos_sin(cfg, T, x.dtype, variant)
    q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
    groups = nh // nkv
    k, v = k.repeat_interleave(groups, dim=0), v.repeat_interleave(groups, dim=0)
    scores = (q @ k.transpose(-1, -2)) * d**-0.5
    t_idx = torch.arange(T)[:, None]
    j_idx = torch.arange(T)[None, :]
    hidden = j_idx > t_idx
    if window > 0:
        hidden = hidden | (j_idx <= t_idx - window)
    scores = scores.masked_fill(hidden, float("-inf"))
    if "no_sinks" in variant:
        probs = torch.softmax(scores, dim=-1)
    else:
        sinks = W[a + "sinks"].reshape(nh, 1, 1).expand(nh, T, 1)
        combined = torch.cat((scores, sinks), dim=-1)
        combined = combined - combined.max(dim=-1, keepdim=True).values
        probs = torch.softmax(combined, dim=-1)[..., :-1]
    o = (probs @ v).transpose(0, 1).reshape(T, nh * d)
    return o @ W[a + "o_proj.weight"].t() + W[a + "o_proj.bias"]


def experts_hf(cfg, W, m, x, idx, weights, variant, stats):
    """GptOssExperts.forward (the loop over hit experts) on x [T, H]."""
    E, limit = cfg["num_local_experts"], cfg["swiglu_limit"]
    alpha = 1.0 if "alpha_one" in variant else ALPHA
    out = torch.zeros_like(x)
    for e in range(E):
        token, slot = torch.where(idx == e)
        if token.numel() == 0:
            continue
        gu = x[token] @ W[m + "experts.gate_up_proj"][e] + W[m + "experts.gate_up_proj_bias"][e]
        if "halves" in variant:  # pitfall: gate then up as two halves
            gate, up = gu.chunk(2, dim=-1)
        else:
            gate, up = gu[..., 0::2], gu[..., 1::2]
        if stats is not None:
            stats["clamped"] = stats.get("clamped", 0) + int((gate > limit).sum() + (up.abs() > limit).sum())
        if "no_clamp" not in variant:
            gate, up = gate.clamp(max=limit), up.clamp(min=-limit, max=limit)
        glu = gate * torch.sigmoid(gate * alpha)
        h = ((up + 1) if "no_plus_one" not in variant else up) * glu
        y = h @ W[m + "experts.down_proj"][e]
        w = weights[token, slot, None]
        if "down_bias_unweighted" in variant:
            out = out.index_add(0, token, y * w + W[m + "experts.down_proj_bias"][e])
        else:
            out = out.index_add(0, token, (y + W[m + "experts.down_proj_bias"][e]) * w)
    return out


def moe_hf(cfg, W, m, x, variant, stats):
    """GptOssTopKRouter + GptOssExperts on x [T, H]."""
    k = cfg["num_experts_per_tok"]
    z = x @ W[m + "router.weight"].t()
    if "no_router_bias" not in variant:
        z = z + W[m + "router.bias"]
    if stats is not None:
        stats["min_gap"] = min(stats.get("min_gap", float("inf")), topk_gap(z, k))
    if "softmax_then_topk" in variant:
        weights, idx = torch.topk(torch.softmax(z, dim=-1), k, dim=-1)
    else:
        top, idx = torch.topk(z, k, dim=-1)
        weights = torch.softmax(top, dim=-1)
    if stats is not None:
        stats.setdefault("routes", []).append([sorted(r) for r in idx.tolist()])
    return experts_hf(cfg, W, m, x, idx, weights, variant, stats)


def forward(cfg, W, input_ids, variant=(), stats=None):
    eps = cfg["rms_norm_eps"]
    h = W["model.embed_tokens.weight"][input_ids]
    for n in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{n}."
        a = rms_norm(h, W[p + "input_layernorm.weight"], eps)
        h = h + attention_hf(cfg, W, p + "self_attn.", a, window_of(cfg, n, variant), variant)
        h = h + moe_hf(cfg, W, p + "mlp.", rms_norm(h, W[p + "post_attention_layernorm.weight"], eps), variant, stats)
    return rms_norm(h, W["model.norm.weight"], eps) @ W["lm_head.weight"].t()


# --------------------------------------------------------------------------------------------------
# Independent loop formulation (per token, head, expert; OpenAI's [out, in] expert layout), a cross-check
# --------------------------------------------------------------------------------------------------


def forward_loop(cfg, W, packed, input_ids):
    """float64 loops: weights [out, in] decoded from the MXFP4 codes again (not the HF x·W tensors),
    gate/up from even/odd rows, sinks added to the softmax denominator, windows by position test."""
    eps, limit = cfg["rms_norm_eps"], cfg["swiglu_limit"]
    nh, nkv, d = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"]
    E, k = cfg["num_local_experts"], cfg["num_experts_per_tok"]
    inv_freq, mscale = yarn_inv_freq(d, cfg["rope_theta"], cfg["rope_scaling"])
    T = input_ids.shape[0]

    def rope(vec, pos):
        # angle, cos/sin and the attention factor in float32, as the reference's tables are
        out = vec.clone()
        for i in range(d // 2):
            angle = torch.tensor(float(pos), dtype=torch.float32) * inv_freq[i]
            c = float(torch.cos(angle) * mscale)
            s = float(torch.sin(angle) * mscale)
            out[i] = vec[i] * c - vec[i + d // 2] * s
            out[i + d // 2] = vec[i + d // 2] * c + vec[i] * s
        return out

    h = W["model.embed_tokens.weight"][input_ids].clone()
    for n in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{n}."
        a, m = p + "self_attn.", p + "mlp."
        window = cfg["sliding_window"] if cfg["layer_types"][n] == "sliding_attention" else 0
        x = rms_norm(h, W[p + "input_layernorm.weight"], eps)
        out = torch.zeros_like(h)
        for head in range(nh):
            g = head // (nh // nkv)
            qh, kh, vh = slice(head * d, (head + 1) * d), slice(g * d, (g + 1) * d), slice(g * d, (g + 1) * d)
            qs = [rope(W[a + "q_proj.weight"][qh] @ x[t] + W[a + "q_proj.bias"][qh], t) for t in range(T)]
            ks = [rope(W[a + "k_proj.weight"][kh] @ x[t] + W[a + "k_proj.bias"][kh], t) for t in range(T)]
            vs = [W[a + "v_proj.weight"][vh] @ x[t] + W[a + "v_proj.bias"][vh] for t in range(T)]
            sink = float(W[a + "sinks"][head])
            for t in range(T):
                seen = [j for j in range(t + 1) if window == 0 or t - j < window]
                s = {j: float(qs[t] @ ks[j]) / math.sqrt(d) for j in seen}
                top = max(max(s.values()), sink)
                z = math.exp(sink - top) + sum(math.exp(v - top) for v in s.values())
                o = sum(math.exp(s[j] - top) / z * vs[j] for j in seen)
                out[t] += W[a + "o_proj.weight"][:, head * d:(head + 1) * d] @ o
        h = h + out + W[a + "o_proj.bias"]
        x = rms_norm(h, W[p + "post_attention_layernorm.weight"], eps)
        gate_up = decode_mxfp4(*packed[m + "experts.gate_up_proj"]).double()  # [E, 2I, H]
        down = decode_mxfp4(*packed[m + "experts.down_proj"]).double()  # [E, H, I]
        b_gu, b_d = W[m + "experts.gate_up_proj_bias"], W[m + "experts.down_proj_bias"]
        out = torch.zeros_like(h)
        for t in range(T):
            z = W[m + "router.weight"] @ x[t] + W[m + "router.bias"]
            chosen = sorted(range(E), key=lambda j: -float(z[j]))[:k]
            ez = [math.exp(float(z[j]) - float(z[chosen[0]])) for j in chosen]
            for j, e in enumerate(chosen):
                gu = gate_up[e] @ x[t] + b_gu[e]
                gate = gu[0::2].clamp(max=limit)
                up = gu[1::2].clamp(min=-limit, max=limit)
                hid = (up + 1) * gate / (1 + torch.exp(-ALPHA * gate))
                out[t] += ez[j] / sum(ez) * (down[e] @ hid + b_d[e])
        h = h + out
    return rms_norm(h, W["model.norm.weight"], eps) @ W["lm_head.weight"].t()


# --------------------------------------------------------------------------------------------------
# Checks and output
# --------------------------------------------------------------------------------------------------


def check_yarn():
    """The float32 table against an independent float64 evaluation at gpt-oss's real shape (d = 64):
    correction range 8.0928 .. 17.3980 and attention factor 1.346574 (semantics §9.3)."""
    d, base = 64, 150000.0
    s = dict(CONFIG["rope_scaling"], original_max_position_embeddings=4096)
    low = d * math.log(4096 / (2 * math.pi * 32)) / (2 * math.log(base))
    high = d * math.log(4096 / (2 * math.pi * 1)) / (2 * math.log(base))
    check(abs(low - 8.0928) < 1e-4 and abs(high - 17.3980) < 1e-4, f"correction range {low} {high}")
    got, mscale = yarn_inv_freq(d, base, s)
    check(abs(mscale - 1.346574) < 1e-6, f"attention factor {mscale}")
    for i in range(d // 2):
        ramp = min(max((i - low) / (high - low), 0.0), 1.0)
        want = base ** (-2 * i / d) * (1 - ramp) + base ** (-2 * i / d) / 32 * ramp
        check(abs(float(got[i]) - want) <= 1e-6 * want, f"inv_freq[{i}] {float(got[i])} vs {want}")


def check_mxfp4():
    """Decoding against hand-worked bytes: 0x2F = low nibble 15 (-6), high nibble 2 (+1), scale 2^-1."""
    blocks = torch.zeros(1, 1, 1, 16, dtype=torch.uint8)
    blocks[0, 0, 0, 0] = 0x2F
    blocks[0, 0, 0, 15] = 0x97  # low 7 (+6), high 9 (-0.5)
    values = decode_mxfp4(blocks, torch.full((1, 1, 1), 126, dtype=torch.uint8))[0, 0]
    check(values[0] == -3.0 and values[1] == 0.5 and values[30] == 3.0 and values[31] == -0.25, "mxfp4")
    check(float(values[2:30].abs().sum()) == 0.0, "mxfp4 zeros")


PITFALLS = [
    "no_sinks",
    "no_window",
    "window_plus_one",  # w + 1 keys instead of w
    "swap_layer_types",
    "plain_rope",  # no YaRN frequencies
    "no_mscale",  # YaRN without the attention factor on cos/sin
    "truncate",  # floor/ceil'd correction range (transformers' default, not gpt-oss's)
    "halves",  # gate/up as two halves instead of interleaved
    "no_clamp",
    "no_plus_one",
    "alpha_one",  # silu instead of sigmoid(1.702 g)
    "no_router_bias",
    "softmax_then_topk",  # unnormalised top-k of a softmax over all experts
    "down_bias_unweighted",
]


def build(cfg):
    for seed in range(BASE_SEED, BASE_SEED + 400):
        W, packed, ids = init_weights(cfg, seed)
        stats = {}
        logits = forward(cfg, W, ids, (), stats)
        if (stats["min_gap"] >= MIN_ROUTER_GAP and all_experts_hit(stats["routes"], cfg["num_local_experts"])
                and stats["clamped"] > 0):
            return seed, W, packed, ids, logits, stats
    raise RuntimeError("gpt_oss: no seed with a router gap >= %g, all experts hit and the clamp biting" % MIN_ROUTER_GAP)


def write_typed_safetensors(path, tensors):
    """tensors: list of (key, tensor, dtype) with dtype 'BF16' (values already bf16-exact) or 'U8'."""
    header = {"__metadata__": {"format": "pt"}}
    blobs, offset = [], 0
    for key, t, dtype in tensors:
        if dtype == "U8":
            b = t.contiguous().numpy().tobytes()
        else:
            bits = t.contiguous().to(torch.float32).numpy().view("<u4")
            check(((bits & 0xFFFF) == 0).all(), f"{key} is not bf16-exact")
            b = (bits >> 16).astype("<u2").tobytes()
        header[key] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    hj = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hj += b" " * ((-len(hj)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hj)))
        f.write(hj)
        for b in blobs:
            f.write(b)


def read_typed_safetensors(path):
    """Independent reader of what write_typed_safetensors wrote: {key: (dtype, tensor)}."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    header.pop("__metadata__")
    data = raw[8 + n:]
    out = {}
    for key, v in header.items():
        b, e = v["data_offsets"]
        buf = bytearray(data[b:e])
        if v["dtype"] == "U8":
            t = torch.frombuffer(buf, dtype=torch.uint8).reshape(v["shape"])
        else:
            t = torch.frombuffer(buf, dtype=torch.int16).to(torch.int32).bitwise_and(0xFFFF)
            t = (t << 16).view(torch.float32).reshape(v["shape"])
        out[key] = (v["dtype"], t.clone())
    return out


def write_checkpoint(out, cfg, tensors, ids, logits):
    os.makedirs(out, exist_ok=True)
    write_json(os.path.join(out, "config.json"), cfg)
    write_typed_safetensors(os.path.join(out, "model.safetensors"), sorted(tensors, key=lambda t: t[0]))
    write_expected(os.path.join(out, "expected.json"), ids, logits)
    back = read_typed_safetensors(os.path.join(out, "model.safetensors"))
    for key, t, dtype in tensors:
        check(back[key][0] == dtype and torch.equal(back[key][1], t), f"{out}:{key} round trip")
    return back


def main():
    setup_torch(FIXTURES)
    cfg = CONFIG
    check_yarn()
    check_mxfp4()
    seed, W, packed, ids, logits, stats = build(cfg)
    W64 = {key: v.double() for key, v in W.items()}
    s64 = {}
    fp64 = max_diff(logits, forward(cfg, W64, ids, (), s64))
    check(s64["routes"] == stats["routes"] and fp64 < 1e-5, f"float64 forward differs ({fp64})")
    loop = max_diff(forward(cfg, W64, ids), forward_loop(cfg, W64, packed, ids))
    check(loop < 1e-12, f"HF-literal vs loop forward differ by {loop}")
    check_prefix_invariance(lambda prefix: forward(cfg, W, prefix), ids, logits)
    pitfalls = check_pitfalls(lambda v: forward(cfg, W, ids, v), logits, PITFALLS)

    experts = {key for key in W if key.endswith("_proj") and ".experts." in key}
    dense = [(key, W[key], "BF16") for key in W if key not in experts]
    hub = dense[:]
    for key, (blocks, scales) in packed.items():
        hub += [(key + "_blocks", blocks, "U8"), (key + "_scales", scales, "U8")]
    write_checkpoint(OUT_HUB, dict(cfg, quantization_config=QUANTIZATION), hub, ids, logits)
    back = write_checkpoint(OUT_DEQ, cfg, dense + [(key, W[key], "BF16") for key in sorted(experts)], ids, logits)
    again = forward(cfg, {key: t for key, (_, t) in back.items()}, ids)
    check(torch.equal(again, logits), "forward on the re-read dequantized weights differs")

    print(f"gpt_oss seed {seed} ids {ids.tolist()} |logits|max {float(logits.abs().max()):.3f}")
    print(f"  router logit gap min {stats['min_gap']:.4f}; clamped activations {stats['clamped']}")
    print(f"  fp32-fp64 {fp64:.1e}; HF-literal vs loop (fp64) {loop:.1e}")
    print("  pitfall diffs: " + ", ".join(f"{k} {v:.3f}" for k, v in pitfalls.items()))
    for out in (OUT_HUB, OUT_DEQ):
        sizes = {fn: os.path.getsize(os.path.join(out, fn)) for fn in sorted(os.listdir(out))}
        print(f"  {os.path.basename(out)}: {sizes}, sha256[:12] {sha_dir(out)}")
    print("all self-checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
