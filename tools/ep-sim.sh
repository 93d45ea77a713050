#!/usr/bin/env bash
# Expert parallelism on paper (docs/expert-parallelism.md): records routing traces from the zoo's
# brown-moe, vit-moe-fashion-mnist and time-moe-vega (loaded through Criteria from the embedded
# repository of this checkout), replays them for 2, 4, 8 and 64 workers and rewrites the doc's
# tables between <!-- ep-sim:begin --> and <!-- ep-sim:end -->. Traces and tables.md go to
# target/ep-sim/. A fresh DJL cache under target/ is used so that a retrained artifact with an
# unchanged version is not served from an old cache entry.
# Usage: tools/ep-sim.sh [--reuse]   (--reuse: replay the traces already in target/ep-sim/)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d tools/data/node_modules/vega-datasets ] || [ ! -s target/brown.jsonl ]; then tools/install-data.sh; fi
CP_FILE="$PWD/recipes/target/ep-sim-classpath.txt"
mvn -q -B -ntp -pl recipes -am package dependency:build-classpath -DskipTests \
  -Dmoezoo.javadoc.skip=true -Dmaven.source.skip=true -DincludeScope=runtime \
  -Dmdep.outputFile="$CP_FILE"
CACHE="$PWD/target/ep-sim/djl-cache"
if [ "${1:-}" != "--reuse" ]; then rm -rf "$CACHE"; fi
OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" java -Dai.djl.offline=true \
  -DDJL_CACHE_DIR="$CACHE" -DENGINE_CACHE_DIR="$PWD/recipes/target/djl-cache" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "recipes/target/classes:$(cat "$CP_FILE")" io.moezoo.recipes.parallel.ExpertParallelSimulation \
  --traces target/ep-sim --doc docs/expert-parallelism.md "$@"
