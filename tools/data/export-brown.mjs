// Writes the Brown corpus as JSON lines {file, genre, text} (detokenized by brown.mjs) to stdout.
// Usage (from the repository root): node tools/data/export-brown.mjs > target/brown.jsonl
import { brownFiles } from './brown.mjs';

for (const doc of brownFiles()) {
  process.stdout.write(JSON.stringify(doc) + '\n');
}
