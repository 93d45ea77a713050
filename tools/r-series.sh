#!/usr/bin/env bash
# Writes R's bundled time series (tools/r-series.R) to target/r-series.tsv (or the path given),
# installing R and the Debian-packaged R packages it reads when they are missing. The time-moe-vega
# network trains on these series (without their last three horizons) and the forecast mixture's
# router on their last three windows.
# Usage: tools/r-series.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-target/r-series.tsv}"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
if ! Rscript -e 'for (p in c("forecast", "AER", "tseries", "MASS", "boot")) stopifnot(requireNamespace(p, quietly = TRUE))' >/dev/null 2>&1; then
  PKGS="r-base-core r-cran-forecast r-cran-aer r-cran-tseries r-cran-mass r-cran-boot"
  $SUDO apt-get install -y -q $PKGS >/dev/null \
    || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q $PKGS >/dev/null; }
fi
mkdir -p "$(dirname "$OUT")"
Rscript tools/r-series.R > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
