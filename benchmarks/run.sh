#!/usr/bin/env bash
# Runs the benchmarks and appends the results, tagged with machine, compiler and commit, to
# results/benchmarks.csv. Usage: benchmarks/run.sh [BUILD_DIR] [bench_epstein options...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
shift || true
mkdir -p results
"$build/benchmarks/bench_epstein" --csv results/benchmarks.csv "$@"
echo
echo "appended to results/benchmarks.csv"
