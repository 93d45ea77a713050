"""Generic helpers shared by the logits-parity fixture generators in this directory.

make_fixtures.py, make_jetmoe_fixtures.py and make_deepseek_fixtures.py each keep their own
transcription of a reference forward pass; this module holds only what they have in common:
deterministic torch setup and seeded weight initialisation, a few model-independent layers (RMSNorm,
nn.Linear with hub keys, SwiGLU, Llama rotate_half RoPE), routing-margin and seed-search helpers, small
self-check utilities, a hand-written safetensors writer/reader (F32, BF16) and the fixture writers
(config.json, model.safetensors, expected.json with float32 logits that round-trip exactly).

Everything here must stay byte-for-byte stable: the committed fixtures under
hf/src/test/resources/fixtures/ are generated through it.
"""

import hashlib
import json
import os
import struct

import numpy as np
import torch
import torch.nn.functional as F

SEQ_LEN = 7  # prompt length of every fixture (expected.json holds SEQ_LEN input ids and logits rows)
INIT_STD = 0.2  # weights ~ N(0, INIT_STD); norm weights ~ 1 + N(0, INIT_STD)


# --------------------------------------------------------------------------------------------------
# Set-up and seeded initialisation
# --------------------------------------------------------------------------------------------------


def setup_torch(out):
    """One thread and deterministic kernels; prints the versions used and the output location."""
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    print(f"torch {torch.__version__}, numpy {np.__version__}; writing to {out}")


def seeded_weights(shapes, vocab_size, seed, bias_std=None):
    """Float32 weights for shapes = [(key, shape, kind)], drawn in list order from torch.manual_seed(seed).

    kind 'w': N(0, INIT_STD); 'norm': 1 + N(0, INIT_STD); 'bias': N(0, bias_std), or N(0, INIT_STD) if
    bias_std is None. Afterwards SEQ_LEN input ids are drawn from the same stream.
    Returns ({key: tensor}, input_ids)."""
    torch.manual_seed(seed)
    weights = {}
    for key, shape, kind in shapes:
        std = bias_std if kind == "bias" and bias_std is not None else INIT_STD
        w = torch.randn(shape, dtype=torch.float32) * std
        if kind == "norm":
            w = w + 1.0
        weights[key] = w
    input_ids = torch.randint(0, vocab_size, (SEQ_LEN,), dtype=torch.int64)
    return weights, input_ids


# --------------------------------------------------------------------------------------------------
# Model-independent layers (one sequence, no batch dim)
# --------------------------------------------------------------------------------------------------


def rms_norm(x, w, eps):
    # HF LlamaRMSNorm (and the Mixtral/Qwen/OLMoE/JetMoE/DeepSeek copies): var = mean(x^2);
    # x * rsqrt(var + eps); weight * x
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def linear(x, W, key, bias=False):
    """nn.Linear with hub weights: x @ W[key + '.weight']^T (+ W[key + '.bias'])."""
    y = x @ W[key + ".weight"].t()
    if bias:
        y = y + W[key + ".bias"]
    return y


def swiglu(x, wg, wu, wd):
    """SwiGLU MLP: (silu(x wg^T) * (x wu^T)) wd^T."""
    return (F.silu(x @ wg.t()) * (x @ wu.t())) @ wd.t()


def swiglu_mlp(x, W, m):
    """SwiGLU MLP with the Llama-style hub keys m + {gate_proj, up_proj, down_proj}.weight."""
    return swiglu(x, W[m + "gate_proj.weight"], W[m + "up_proj.weight"], W[m + "down_proj.weight"])


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rope_cos_sin(seq_len, dim, theta, dtype):
    # HF default rope: inv_freq = 1 / theta^(arange(0, d, 2)/d) in float32; emb = cat(freqs, freqs)
    inv_freq = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    pos = torch.arange(seq_len, dtype=torch.int64).float()
    freqs = torch.outer(pos, inv_freq)  # [S, d/2], float32
    emb = torch.cat((freqs, freqs), dim=-1)  # [S, d]
    return emb.cos().to(dtype), emb.sin().to(dtype)


def apply_rope(x, cos, sin, variant=()):
    """Llama RoPE (rotate_half pairs (i, i + d/2)); x: [..., S, d]; cos/sin: [S, d] from rope_cos_sin."""
    if "interleaved_rope" in variant:  # pitfall: the GPT-J / Meta complex-pair convention
        xe, xo = x[..., 0::2], x[..., 1::2]
        c, s = cos[..., : x.shape[-1] // 2], sin[..., : x.shape[-1] // 2]
        return torch.stack((xe * c - xo * s, xe * s + xo * c), dim=-1).flatten(-2)
    return x * cos + rotate_half(x) * sin


# --------------------------------------------------------------------------------------------------
# Routing margins and seed search
# --------------------------------------------------------------------------------------------------


def topk_gap(scores, k):
    """Smallest gap, over the rows of scores [T, E], between the k-th and (k+1)-th largest score."""
    s = scores.sort(dim=-1, descending=True).values
    return float((s[:, k - 1] - s[:, k]).min())


def all_experts_hit(routes, num_experts):
    """routes: one [T][k] list of selected expert ids per router call; every router must use every expert."""
    return all(len({e for tok in r for e in tok}) == num_experts for r in routes)


def search_seed(cfg, seeds, init_weights, forward, accept, requirement):
    """Deterministic seed search: the first seed whose random checkpoint passes accept(W, ids, stats).

    For each seed in order: W, ids = init_weights(cfg, seed); logits = forward(cfg, W, ids, (), stats),
    which records routing margins in the dict stats. Returns (seed, W, ids, logits, stats); raises if no
    seed passes (requirement describes the criterion for the message)."""
    for seed in seeds:
        W, ids = init_weights(cfg, seed)
        stats = {}
        logits = forward(cfg, W, ids, (), stats)
        if accept(W, ids, stats):
            return seed, W, ids, logits, stats
    raise RuntimeError(f"{cfg['model_type']}: no seed in {seeds} with {requirement}")


# --------------------------------------------------------------------------------------------------
# Self-check utilities
# --------------------------------------------------------------------------------------------------


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def max_diff(a, b):
    return float((a.double() - b.double()).abs().max())


def check_rope():
    """rotate_half RoPE equals the complex rotation of the pairs (i, i + d/2) and is the identity at 0."""
    d, S, theta = 8, 9, 10000.0
    g = torch.Generator().manual_seed(3)
    x = torch.randn(3, S, d, generator=g, dtype=torch.float64)
    cos, sin = rope_cos_sin(S, d, theta, torch.float64)
    got = apply_rope(x, cos, sin)
    # z_i = x_i + j x_{i+d/2}, rotated by angle pos * inv_freq_i
    inv = 1.0 / (theta ** (torch.arange(0, d, 2, dtype=torch.float64) / d))
    ang = torch.arange(S, dtype=torch.float64)[:, None] * inv[None, :]
    z = torch.complex(x[..., : d // 2], x[..., d // 2 :]) * torch.polar(torch.ones_like(ang), ang)
    want = torch.cat((z.real, z.imag), dim=-1)
    check(max_diff(got, want) < 1e-6, "rotate_half RoPE != complex rotation")
    check(max_diff(got[:, 0], x[:, 0]) == 0.0, "RoPE at position 0 must be the identity")


def check_pitfalls(logits_of, logits, variants, min_diff=1e-2):
    """The fixture must tell common convention mistakes apart: runs logits_of((v,)) for each pitfall
    variant v and compares with the reference logits. variants: a list of names (each must change the
    logits by more than min_diff) or a dict name -> minimum diff, "same" (must be identical) or None
    (report only). Returns {name: max |logit diff|}."""
    if not isinstance(variants, dict):
        variants = dict.fromkeys(variants, min_diff)
    diffs = {}
    for v, must in variants.items():
        d = max_diff(logits_of((v,)), logits)
        if must == "same":
            check(d == 0.0, f"variant {v} should be identical ({d})")
        elif must is not None:
            check(d > must, f"variant {v} is not distinguishable ({d} <= {must})")
        diffs[v] = d
    return diffs


def check_prefix_invariance(logits_of, ids, logits):
    """Causality: logits_of(ids[:cut]) equals the first cut rows of the full prefill logits."""
    for cut in (1, 4):
        d = max_diff(logits_of(ids[:cut]), logits[:cut])
        check(d < 1e-5, f"prefix {cut} logits differ by {d}")


# --------------------------------------------------------------------------------------------------
# safetensors (hand-written writer and independent reader)
# --------------------------------------------------------------------------------------------------


def tensor_bytes(t, dtype):
    a = t.contiguous().numpy().astype("<f4")
    if dtype == "F32":
        return a.tobytes()
    if dtype == "BF16":
        bits = a.view("<u4")
        assert np.all((bits & 0xFFFF) == 0), "BF16 tensor must be bf16-rounded first"
        return (bits >> 16).astype("<u2").tobytes()
    raise ValueError(dtype)


def e4m3_values():
    """The float value of each of the 256 FP8 e4m3fn codes (NaN for the two NaN codes)."""
    vals = []
    for b in range(256):
        sign, exp, man = b >> 7, (b >> 3) & 0xF, b & 0x7
        if exp == 0xF and man == 0x7:
            v = float("nan")
        elif exp == 0:
            v = man / 8.0 * 2.0**-6  # subnormal
        else:
            v = (1 + man / 8.0) * 2.0 ** (exp - 7)
        vals.append(-v if sign else v)
    return torch.tensor(vals, dtype=torch.float64)


def quantize_fp8(w, block):
    """DeepSeek-V3 style block quantisation of a 2-D float32 weight: per block of block[0] x block[1]
    entries, scale_inv = amax / 448 and codes = nearest e4m3fn value of w / scale_inv. Returns (codes
    uint8 tensor, scale_inv float32 [ceil(r/b0), ceil(c/b1)], dequantised float32 weight)."""
    table = e4m3_values()
    finite = ~torch.isnan(table)
    rows, cols = w.shape
    br, bc = block
    nbr, nbc = -(-rows // br), -(-cols // bc)
    scale = torch.zeros(nbr, nbc, dtype=torch.float32)
    codes = torch.zeros(rows, cols, dtype=torch.uint8)
    deq = torch.zeros(rows, cols, dtype=torch.float32)
    cand = torch.arange(256)[finite]
    for i in range(nbr):
        for j in range(nbc):
            blk = w[i * br : (i + 1) * br, j * bc : (j + 1) * bc].double()
            s = float(blk.abs().max()) / 448.0
            s = s if s > 0 else 1.0
            scale[i, j] = s
            s32 = float(scale[i, j])
            dist = (blk.reshape(-1, 1) / s32 - table[finite].reshape(1, -1)).abs()
            idx = cand[dist.argmin(dim=1)].reshape(blk.shape)
            codes[i * br : (i + 1) * br, j * bc : (j + 1) * bc] = idx.to(torch.uint8)
            deq[i * br : (i + 1) * br, j * bc : (j + 1) * bc] = (
                table[idx].float() * torch.tensor(s32, dtype=torch.float32)
            )
    return codes, scale, deq


def write_safetensors(path, tensors, dtype="F32"):
    """tensors: list of (key, tensor), stored as dtype ('F32' or 'BF16'), except uint8 tensors, stored as
    raw FP8 e4m3 codes ('F8_E4M3'); packed contiguously in list order, header padded with spaces to a
    multiple of 8, metadata {"format": "pt"}."""
    header = {"__metadata__": {"format": "pt"}}
    blobs, offset = [], 0
    for key, t in tensors:
        if t.dtype == torch.uint8:
            b, kind = t.contiguous().numpy().tobytes(), "F8_E4M3"
        else:
            b, kind = tensor_bytes(t, dtype), dtype
        header[key] = {"dtype": kind, "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    hj = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hj += b" " * ((-len(hj)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hj)))
        f.write(hj)
        for b in blobs:
            f.write(b)
    return offset


def read_safetensors(path):
    """Small independent reader: returns ({key: float32 tensor}, {key: dtype}, metadata)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    assert n % 8 == 0 and 8 + n <= len(raw)
    header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    data = raw[8 + n :]
    meta = header.pop("__metadata__", None)
    spans = sorted((v["data_offsets"][0], v["data_offsets"][1], k) for k, v in header.items())
    pos = 0
    for b, e, _ in spans:  # contiguous, non-overlapping, covering the whole data section
        assert b == pos and e >= b, (path, b, pos)
        pos = e
    assert pos == len(data), (path, pos, len(data))
    out, dtypes = {}, {}
    for key, v in header.items():
        b, e = v["data_offsets"]
        buf = data[b:e]
        count = int(np.prod(v["shape"])) if v["shape"] else 1
        if v["dtype"] == "F32":
            arr = np.frombuffer(buf, dtype="<f4")
        elif v["dtype"] == "BF16":
            arr = (np.frombuffer(buf, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise ValueError(v["dtype"])
        assert arr.size == count, key
        out[key] = torch.from_numpy(arr.astype(np.float32).copy()).reshape(v["shape"])
        dtypes[key] = v["dtype"]
    return out, dtypes, meta


def check_roundtrip(path, expected, dtype="F32"):
    """Re-reads path and checks metadata, key set, dtypes, shapes and values; returns the tensors read."""
    got, dtypes, meta = read_safetensors(path)
    check(meta == {"format": "pt"}, f"{path}: metadata {meta}")
    check(set(got) == set(expected), f"{path}: key set differs")
    for k, t in expected.items():
        check(dtypes[k] == dtype and list(got[k].shape) == list(t.shape), f"{path}:{k} dtype/shape")
        check(torch.equal(got[k], t), f"{path}:{k} values differ after round trip")
    return got


# --------------------------------------------------------------------------------------------------
# Fixture files
# --------------------------------------------------------------------------------------------------


def fmt_logits(logits):
    # Python floats of the float32 values: json writes the shortest decimal that round-trips
    return [[float(v) for v in row] for row in logits.to(torch.float32).tolist()]


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def write_expected(path, ids, logits):
    # one line per position keeps the file small yet diffable
    rows = ",\n    ".join(json.dumps(r, separators=(",", ":")) for r in fmt_logits(logits))
    with open(path, "w", encoding="utf-8") as f:
        f.write('{\n  "input_ids": %s,\n  "logits": [\n    %s\n  ]\n}\n' % (json.dumps(ids.tolist()), rows))


def write_fixture(d, cfg, W, ids, logits, dtype="F32"):
    """Writes d/config.json, d/model.safetensors (keys sorted) and d/expected.json; checks all three
    round trips. Returns d."""
    os.makedirs(d, exist_ok=True)
    write_json(os.path.join(d, "config.json"), cfg)
    path = os.path.join(d, "model.safetensors")
    write_safetensors(path, [(k, W[k]) for k in sorted(W)], dtype)
    check_roundtrip(path, W, dtype)
    write_expected(os.path.join(d, "expected.json"), ids, logits)
    with open(os.path.join(d, "expected.json")) as f:
        back = json.load(f)
    check(back["input_ids"] == ids.tolist(), "input_ids round trip")
    check(torch.equal(torch.tensor(back["logits"], dtype=torch.float32), logits), "logits round trip")
    with open(os.path.join(d, "config.json")) as f:
        check(json.load(f) == cfg, "config round trip")
    return d


def sha_dir(d):
    """Short sha256 over the file names and contents below d (for the summary line)."""
    h = hashlib.sha256()
    for root, _, files in sorted(os.walk(d)):
        for fn in sorted(files):
            h.update(fn.encode())
            with open(os.path.join(root, fn), "rb") as f:
                h.update(f.read())
    return h.hexdigest()[:12]


# --------------------------------------------------------------------------------------------------
# The checks and output of the one-sequence generators (granite, glm4_moe)
# --------------------------------------------------------------------------------------------------


def verify_forward(cfg, W, ids, logits, forward, forward_loop, pitfalls):
    """float32 vs float64 (same routes), the HF-literal forward vs an independent loop form in
    float64, causal prefix invariance, and every pitfall variant distinguishable. forward(cfg, W,
    ids, variant=(), stats=None) records routes in stats["routes"]. Returns the measured diffs."""
    info = {}
    W64 = {key: v.double() for key, v in W.items()}
    s32, s64 = {}, {}
    forward(cfg, W, ids, (), s32)
    info["fp32_vs_fp64"] = max_diff(logits, forward(cfg, W64, ids, (), s64))
    check(s64["routes"] == s32["routes"], "float64 forward routes differently")
    check(info["fp32_vs_fp64"] < 1e-5, f"fp32 vs fp64 forward differ by {info['fp32_vs_fp64']}")
    info["hf_vs_loop"] = max_diff(forward(cfg, W64, ids), forward_loop(cfg, W64, ids))
    check(info["hf_vs_loop"] < 1e-12, f"HF-literal vs loop forward differ by {info['hf_vs_loop']}")
    check_prefix_invariance(lambda prefix: forward(cfg, W, prefix), ids, logits)
    info["pitfalls"] = check_pitfalls(lambda v: forward(cfg, W, ids, v), logits, pitfalls)
    return info


def write_and_report(out, cfg, W, ids, logits, forward, seed, stats, info):
    """Writes the fixture, checks the forward on the re-read weights, and prints a summary."""
    write_fixture(out, cfg, W, ids, logits)  # checks the safetensors / expected.json round trips
    back, _, _ = read_safetensors(os.path.join(out, "model.safetensors"))
    check(torch.equal(forward(cfg, back, ids), logits), "forward on re-read weights differs")
    print(f"{cfg['model_type']} seed {seed} ids {ids.tolist()} |logits|max {float(logits.abs().max()):.3f}")
    print(f"  routing score gap min {stats['min_gap']:.4f}")
    print(f"  fp32-fp64 {info['fp32_vs_fp64']:.1e}; HF-dispatch vs loop (fp64) {info['hf_vs_loop']:.1e}")
    print("  pitfall diffs: " + ", ".join(f"{k} {v:.3f}" for k, v in info["pitfalls"].items()))
    sizes = {fn: os.path.getsize(os.path.join(out, fn)) for fn in sorted(os.listdir(out))}
    print(f"all self-checks passed; files {sizes}, sha256[:12] {sha_dir(out)}")
