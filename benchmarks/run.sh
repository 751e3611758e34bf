#!/usr/bin/env bash
# Runs every benchmark and appends the results to results/*.csv, each row tagged with the date, commit,
# machine, compiler, flags, build type and thread count, so two commits can be compared on one machine.
# Usage: benchmarks/run.sh [BUILD_DIR] [--quick]
#   BUILD_DIR  a Release build (default build/release)
#   --quick    smaller sizes, fewer steps and runs: a check that everything runs, not figures to quote
# The CSV files go to $POCSIM_RESULTS (default results/).
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/release
quick=0
for arg in "$@"; do
  case $arg in
    --quick) quick=1 ;;
    -h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "benchmarks/run.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
    *) build=$arg ;;
  esac
done
bin=$build/benchmarks
for exe in "$bin/bench_bandwidth" "$bin/bench_epstein" "$bin/bench_national" "$build/pocsim"; do
  [[ -x $exe ]] || { echo "benchmarks/run.sh: $exe is missing; build first: ./build.sh build" >&2; exit 2; }
done
results=${POCSIM_RESULTS:-results}
mkdir -p "$results"

echo "== Memory bandwidth (STREAM) -> $results/stream.csv"
if ((quick)); then "$bin/bench_bandwidth" --elements 4194304 --repeats 2 --csv "$results/stream.csv"
else "$bin/bench_bandwidth" --csv "$results/stream.csv"; fi

echo; echo "== Epstein model: updates per second, phases, roofline -> $results/epstein.csv"
if ((quick)); then "$bin/bench_epstein" --sizes 40,400 --min-seconds 0.5 --csv "$results/epstein.csv"
else "$bin/bench_epstein" --csv "$results/epstein.csv"; fi

echo; echo "== National scale (scenarios/national/country.yaml) -> $results/national.csv"
if ((quick)); then
  "$bin/bench_national" --threads 2 --steps 8 --csv "$results/national.csv"
else
  "$bin/bench_national" --threads 2 --csv "$results/national.csv"            # ten years, the target
  "$bin/bench_national" --threads 1 --steps 104 --csv "$results/national.csv"  # two years: the 1-thread rate
fi

echo; echo "== Sweep of 10,000 runs of the 40x40 Epstein model -> $results/sweep.csv"
sweep=scenarios/sweeps/epstein_lhs_10000.yaml
store=$(mktemp -d)/sweep.h5
set_args=()
((quick)) && set_args=(--set run.steps=50 --shard 0/100)  # 100 runs of 50 steps
start=$(date +%s.%N)
"$build/pocsim" sweep "$sweep" -o "$store" --threads 2 --quiet "${set_args[@]}"
end=$(date +%s.%N)
runs=$( ((quick)) && echo 100 || echo 10000)  # the design's 10,000 points, or one shard of a hundred
rm -rf "$(dirname "$store")"
seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
version=$("$build/pocsim" --version)
commit=$(sed -n 's/.*commit \([0-9a-f]\{12\}\).*/\1/p' <<<"$version")
[[ $version == *modified* ]] && commit+="+dirty"
compiler=$(sed -n 's/.*, \([^,]*\))$/\1/p' <<<"$version")
machine="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) hardware threads"
[[ -s $results/sweep.csv ]] || echo "date,commit,machine,compiler,threads,sweep,steps_override,runs,seconds,runs_per_second" >"$results/sweep.csv"
printf '%s,%s,"%s",%s,2,%s,%s,%s,%s,%s\n' "$(date -u +%FT%TZ)" "$commit" "$machine" "$compiler" "$sweep" \
  "$( ((quick)) && echo "50 (shard 0/100)" || echo none)" "$runs" "$seconds" "$(awk -v n="$runs" -v s="$seconds" 'BEGIN { printf "%.1f", n / s }')" \
  >>"$results/sweep.csv"
echo "$runs runs in $seconds s with 2 threads"

echo; echo "appended to $results/stream.csv, epstein.csv, national.csv and sweep.csv"
