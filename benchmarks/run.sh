#!/usr/bin/env bash
# Runs every benchmark and appends the results to results/*.csv, each row tagged with the date, commit,
# machine, compiler, flags, build type and thread count, so two commits can be compared on one machine.
# Usage: benchmarks/run.sh [BUILD_DIR] [--quick]
#   BUILD_DIR  a Release build (default build/release)
#   --quick    smaller sizes, fewer steps and runs: a check that everything runs, not figures to quote
# The CSV files go to $POCSIM_RESULTS (default: results/ in the repository).
set -euo pipefail
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
# Paths given relative to where the command was run, before moving to the repository (the scenarios'
# paths are relative to it).
root=$(cd "$(dirname "$0")/.." && pwd)
[[ -d $build ]] && build=$(cd "$build" && pwd)
results=${POCSIM_RESULTS:-$root/results}
mkdir -p "$results"
results=$(cd "$results" && pwd)
cd "$root"
bin=$build/benchmarks
for exe in "$bin/bench_bandwidth" "$bin/bench_epstein" "$bin/bench_national" "$build/pocsim"; do
  [[ -x $exe ]] || { echo "benchmarks/run.sh: $exe is missing; build first: ./build.sh build" >&2; exit 2; }
done
echo "== Memory bandwidth (STREAM) -> $results/stream.csv"
if ((quick)); then "$bin/bench_bandwidth" --elements 4194304 --repeats 2 --csv "$results/stream.csv"
else "$bin/bench_bandwidth" --csv "$results/stream.csv"; fi

echo; echo "== Epstein model: updates per second, phases, roofline -> $results/epstein.csv"
if ((quick)); then "$bin/bench_epstein" --sizes 40,400 --min-seconds 0.5 --csv "$results/epstein.csv"
else "$bin/bench_epstein" --csv "$results/epstein.csv"; fi

echo; echo "== National scale (benchmarks/scenarios/national.yaml) -> $results/national.csv"
if ((quick)); then
  "$bin/bench_national" --threads 2 --steps 8 --csv "$results/national.csv"
else
  "$bin/bench_national" --threads 2 --csv "$results/national.csv"            # ten years, the target
  "$bin/bench_national" --threads 1 --steps 104 --csv "$results/national.csv"  # two years: the 1-thread rate
fi

# Appends a row to results/FILE after the provenance tags every benchmark's rows carry (from the same
# build), writing the header first; a file with another header is refused rather than mixed.
append_row() {
  local file=$results/$1 header="date,commit,machine,compiler,flags,build_type,threads,$2"
  if [[ -s $file ]]; then
    [[ $(head -1 "$file") == "$header" ]] || {
      echo "benchmarks/run.sh: $file has another header; move it away or set POCSIM_RESULTS" >&2; exit 1; }
  else
    echo "$header" >"$file"
  fi
  echo "$("$bin/bench_bandwidth" --print-tags),$3" >>"$file"
}

echo; echo "== Sweep of 10,000 runs of the 40x40 Epstein model -> $results/sweep.csv"
sweep=scenarios/sweeps/epstein_lhs_10000.yaml
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
set_args=()
((quick)) && set_args=(--set run.steps=50 --shard 0/100)  # 100 runs of 50 steps
start=$(date +%s.%N)
"$build/pocsim" sweep "$sweep" -o "$scratch/sweep.h5" --threads 2 --quiet "${set_args[@]}"
end=$(date +%s.%N)
runs=$( ((quick)) && echo 100 || echo 10000)  # the design's 10,000 points, or one shard of a hundred
seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
append_row sweep.csv "sweep,steps_override,runs,seconds,runs_per_second" \
  "2,$sweep,$( ((quick)) && echo "50 (shard 0/100)" || echo none),$runs,$seconds,$(awk -v n="$runs" -v s="$seconds" 'BEGIN { printf "%.1f", n / s }')"
echo "$runs runs in $seconds s with 2 threads"

echo; echo "== A decision under parameter uncertainty: the Mali options over 100 draws x 10 replicates -> $results/compare.csv"
mali=scenarios/library/mali/base.yaml
draws=$( ((quick)) && echo 2 || echo 100)
replicates=$( ((quick)) && echo 2 || echo 10)
compare_args=()
((quick)) && compare_args=(--steps 60)
start=$(date +%s.%N)
"$build/pocsim" compare "$mali" --options scenarios/library/mali/options/*.yaml --draws "$draws" --replicates "$replicates" \
  --threads 2 --quiet -o "$scratch/compare.h5" "${compare_args[@]}"
end=$(date +%s.%N)
options=$(ls scenarios/library/mali/options/*.yaml | wc -l)
runs=$((draws * replicates * (options + 1)))
seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
append_row compare.csv "scenario,draws,replicates,options,steps_override,runs,seconds,runs_per_second" \
  "2,$mali,$draws,$replicates,$options,$( ((quick)) && echo 60 || echo none),$runs,$seconds,$(awk -v n="$runs" -v s="$seconds" 'BEGIN { printf "%.1f", n / s }')"
echo "$runs runs ($draws draws x $replicates replicates x $((options + 1)) options with the baseline) in $seconds s with 2 threads"

echo; echo "== Ensembles: a 1,000-run sweep of each library setting (frozen copies) -> $results/library.csv"
for setting in mali car drc_east libya guinea_bissau; do
  sweep=benchmarks/scenarios/sweeps/${setting}_1000.yaml
  set_args=()
  ((quick)) && set_args=(--set run.steps=20 --shard 0/100)  # 10 runs of 20 steps
  start=$(date +%s.%N)
  "$build/pocsim" sweep "$sweep" -o "$scratch/$setting.h5" --threads 2 --quiet "${set_args[@]}"
  end=$(date +%s.%N)
  runs=$( ((quick)) && echo 10 || echo 1000)
  seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  append_row library.csv "setting,sweep,steps_override,runs,seconds,runs_per_second" \
    "2,$setting,$sweep,$( ((quick)) && echo "20 (shard 0/100)" || echo none),$runs,$seconds,$(awk -v n="$runs" -v s="$seconds" 'BEGIN { printf "%.2f", n / s }')"
  echo "$setting: $runs runs in $seconds s with 2 threads"
done

echo; echo "appended to $results/stream.csv, epstein.csv, national.csv, sweep.csv, compare.csv and library.csv"
