#!/usr/bin/env bash
# Trains and measures the time-series forecast mixture (io.moezoo.recipes.timeseries.mixture):
# a softmax router over naive, seasonal naive, ETS, Theta, Comb S-H-D, ARIMA and the shipped
# time-moe-vega network, trained on R's bundled series (tools/r-series.R) and KernelSynth synthetic
# series, its recipe chosen on a validation split, then measured on the time-moe-vega card's
# held-out tails and zero-shot series. Writes recipes/target/timeseries-mixture/result.{json,md}.
# Does not change the card.
# Usage: tools/ts-mixture.sh [SEED] [--reuse] [--window-network DIR --vega-windows] [--subsets] [--out DIR]
#   --reuse: keep the windows of an earlier run; --window-network DIR: forecast the router's
#   windows with a TimeMoeValidation model (cross-fitting), --vega-windows: add the vega window
#   before each test tail to the router's training and validation data (run 6 in tools/ts-mixture.md);
#   --subsets: choose among every subset of the experts (run 8)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d tools/data/node_modules/vega-datasets ]; then tools/install-data.sh; fi
OUT="$PWD/recipes/target/timeseries-mixture"
mkdir -p "$OUT"
tools/r-series.sh "$OUT/r-series.tsv"
CP_FILE="$PWD/recipes/target/ts-mixture-classpath.txt"
mvn -q -B -ntp -pl recipes -am package dependency:build-classpath -DskipTests \
  -Dmoezoo.javadoc.skip=true -Dmaven.source.skip=true -DincludeScope=runtime \
  -Dmdep.outputFile="$CP_FILE"
OMP_NUM_THREADS=1 java -Dai.djl.offline=true \
  -DDJL_CACHE_DIR="$PWD/recipes/target/djl-cache" -DENGINE_CACHE_DIR="$PWD/recipes/target/djl-cache" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "recipes/target/classes:$(cat "$CP_FILE")" io.moezoo.recipes.timeseries.mixture.MixtureRecipe \
  "${1:-42}" --r-series "$OUT/r-series.tsv" --out "$OUT" "${@:2}"
