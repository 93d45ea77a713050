#!/usr/bin/env bash
# Trains the vision family's classical baseline, a CNN of the V-MoE's size (FashionCnn), with the
# vit-moe-fashion-mnist recipe, split, augmentation and seed, measures it on the official
# Fashion-MNIST test set and records the result in that card (card.json "baselines", README.md,
# metadata.json hashes). About 20 minutes on 2 cores (one PyTorch thread).
# Usage: tools/cnn-baseline.sh [SEED] [KEY=VALUE...] [--no-card] [--from RESULT_JSON]
#   KEY=VALUE changes the recipe (epochs, batch, lr, warmup, wd, shift, flip, smoothing, validation,
#   maxSteps); --from records an earlier target/vision/cnn-fashion-mnist/result.json without training.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get install -y -q dataset-fashion-mnist >/dev/null \
    || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q dataset-fashion-mnist >/dev/null; }
fi
CP_FILE="$PWD/recipes/target/cnn-baseline-classpath.txt"
# One reactor build: the class path names the modules' own target/ folders and jars (nothing is
# installed into ~/.m2); every module writes the file, recipes (built last) wins.
mvn -q -B -ntp -pl recipes -am package dependency:build-classpath -DskipTests \
  -Dmoezoo.javadoc.skip=true -Dmaven.source.skip=true -DincludeScope=runtime \
  -Dmdep.outputFile="$CP_FILE"
OMP_NUM_THREADS=1 java -Dai.djl.offline=true \
  -DDJL_CACHE_DIR="$PWD/recipes/target/djl-cache" -DENGINE_CACHE_DIR="$PWD/recipes/target/djl-cache" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "recipes/target/classes:$(cat "$CP_FILE")" io.moezoo.recipes.vision.CnnBaseline "$@"
