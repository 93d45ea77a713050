#!/usr/bin/env bash
# Trains the Brown-corpus MoE and dense language models from scratch with a fixed seed and writes
# the zoo artifacts brown-moe and brown-dense (cards with held-out perplexity, Kneser-Ney baselines
# and the repetition of continuations).
# The recipe is BrownLanguageModels.RECIPE (chosen on the validation split with
# LanguageRecipeSearch); each model takes about an hour on 2 cores.
# Usage: tools/train-brown-lm.sh [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --prefix tools/data --no-audit --no-fund
mkdir -p target
node tools/data/export-brown.mjs > target/brown.jsonl
mvn -q -B install -DskipTests
mvn -q -B -pl recipes exec:java@brown-lm -Dexec.args="target/brown.jsonl target/brown-lm ${1:-42}"
mvn -q -B -pl recipes exec:java@brown-artifacts -Dexec.args="target/brown.jsonl target/brown-lm zoo-weights/src/main/resources/io/moezoo/zoo/repository ${1:-42}"
