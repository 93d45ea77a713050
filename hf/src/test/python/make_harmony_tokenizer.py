#!/usr/bin/env python3
# A tiny tokenizer.json in the shape of gpt-oss's (o200k_harmony as the Hugging Face converter writes
# it): a byte-level BPE model behind a Split pre-tokenizer with tiktoken's o200k pattern, the
# ByteLevel decoder, and the harmony special tokens at their real ids 199998..200013.
#
# Standard library only; deterministic. Run from the repository root:
#     /usr/bin/python3 hf/src/test/python/make_harmony_tokenizer.py
#
# Output: hf/src/test/resources/harmony/tokenizer.json
#
# What it holds:
#   ids 0..255      the 256 bytes, in GPT-2's byte-to-unicode alphabet (id = byte value)
#   ids 256..       merges learned greedily from CORPUS (each merge's result gets the next id), then
#                   the probe merges of PROBES, which only the o200k pre-tokenizer keeps from applying
#                   across its boundaries ("1234" is pre-tokenized as "123" + "4", "7!" as
#                   "7" + "!"), so that a test can tell that the Split pattern is in force
#   199998..200013  <|startoftext|>, <|endoftext|>, <|return|>, <|constrain|>, <|channel|>, <|start|>,
#                   <|end|>, <|message|>, <|call|> and the <|reserved_N|> ids between them, as harmony
#                   numbers them. Hugging Face tokenizers gives an added token the id its model's vocab
#                   has for it (and otherwise the next id after the vocab's size), so the specials are
#                   in the BPE vocab at these sparse ids as well as in added_tokens.
# The real file's ids 200014..201087 (<|reserved_N|>, 200018 named <|endofprompt|> by the converter) are
# left out to keep the fixture small.
import json
import os
import re

# tiktoken's o200k_base pattern, which o200k_harmony uses unchanged.
O200K_PATTERN = "|".join(
    [
        r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
        r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
        r"\p{N}{1,3}",
        r" ?[^\s\p{L}\p{N}]+[\r\n/]*",
        r"\s*[\r\n]+",
        r"\s+(?!\S)",
        r"\s+",
    ]
)

SPECIALS = {
    199998: "<|startoftext|>",
    199999: "<|endoftext|>",
    200002: "<|return|>",
    200003: "<|constrain|>",
    200005: "<|channel|>",
    200006: "<|start|>",
    200007: "<|end|>",
    200008: "<|message|>",
    200012: "<|call|>",
}
FIRST_SPECIAL, LAST_SPECIAL = 199998, 200013

CORPUS = """You are ChatGPT, a large language model trained by OpenAI.
Knowledge cutoff: 2024-06
Current date: 2025-06-28

Reasoning: medium

# Valid channels: analysis, commentary, final. Channel must be included for every message.
# Instructions

Always respond in riddles. Answer the user briefly and politely.
system developer user assistant analysis commentary final message
What is 2 + 2? User asks a simple arithmetic question. Provide the answer. 2 + 2 = 4.
What is the weather like in San Francisco? The weather is sunny and warm today.
"""
MERGES = 160
PROBES = [("1", "2"), ("12", "3"), ("123", "4"), ("7", "!")]


def bytes_to_unicode():
    """GPT-2's printable alphabet for the 256 bytes (byte-level BPE)."""
    bs = list(range(ord("!"), ord("~") + 1))
    bs += list(range(ord("\u00a1"), ord("\u00ac") + 1))
    bs += list(range(ord("\u00ae"), ord("\u00ff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


def learn_merges(alphabet):
    # A rough split into words (Python's re has no \p{L}); merges never cross these boundaries.
    words = [
        [alphabet[b] for b in w.encode("utf-8")]
        for w in re.findall(r" ?[A-Za-z]+| ?[0-9]| ?[^\sA-Za-z0-9]+|\s+", CORPUS)
    ]
    merges = []
    for _ in range(MERGES):
        counts = {}
        for w in words:
            for pair in zip(w, w[1:]):
                counts[pair] = counts.get(pair, 0) + 1
        if not counts:
            break
        # Most frequent first; ties broken by the pair's text, so the output is deterministic.
        best = min(counts, key=lambda p: (-counts[p], p))
        if counts[best] < 2:
            break
        merges.append(best)
        merged = best[0] + best[1]
        for i, w in enumerate(words):
            out, j = [], 0
            while j < len(w):
                if j + 1 < len(w) and (w[j], w[j + 1]) == best:
                    out.append(merged)
                    j += 2
                else:
                    out.append(w[j])
                    j += 1
            words[i] = out
    return merges


def main():
    alphabet = bytes_to_unicode()
    vocab = {alphabet[b]: b for b in range(256)}
    merges = []
    for a, b in learn_merges(alphabet) + PROBES:
        if a not in vocab or b not in vocab:
            raise SystemExit(f"merge {a!r} + {b!r} refers to a token not in the vocab")
        if a + b in vocab:
            continue
        vocab[a + b] = len(vocab)
        merges.append(f"{a} {b}")
    added = []
    for i in range(FIRST_SPECIAL, LAST_SPECIAL + 1):
        content = SPECIALS.get(i, f"<|reserved_{i}|>")
        vocab[content] = i
        added.append(
            {
                "id": i,
                "content": content,
                "single_word": False,
                "lstrip": False,
                "rstrip": False,
                "normalized": False,
                "special": True,
            }
        )
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                {
                    "type": "Split",
                    "pattern": {"Regex": O200K_PATTERN},
                    "behavior": "Isolated",
                    "invert": False,
                },
                {
                    "type": "ByteLevel",
                    "add_prefix_space": False,
                    "trim_offsets": True,
                    "use_regex": False,
                },
            ],
        },
        "post_processor": {
            "type": "ByteLevel",
            "add_prefix_space": True,
            "trim_offsets": False,
            "use_regex": True,
        },
        "decoder": {
            "type": "ByteLevel",
            "add_prefix_space": True,
            "trim_offsets": True,
            "use_regex": True,
        },
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": True,
            "vocab": vocab,
            "merges": merges,
        },
    }
    root = os.path.join("hf", "src", "test", "resources", "harmony")
    os.makedirs(root, exist_ok=True)
    path = os.path.join(root, "tokenizer.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{path}: {len(vocab)} vocab entries, {len(merges)} merges, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
