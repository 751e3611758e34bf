#!/usr/bin/env bash
# Fuzzes pocsim's input readers with libFuzzer (clang 14 from Debian): the scenario loader and validator
# (fuzz_scenario: a scenario that validates is also built and stepped) and the sweep-file loader
# (fuzz_sweep). Not part of the test suite: fuzzing has no natural end.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]   build into build/fuzz, then fuzz each target (default: both)
#                                           for SECONDS (default 900), one after the other
#   scripts/fuzz.sh --keep FILE TARGET      copy a finding into tests/fuzz/regressions/<scenario|sweep>/,
#                                           named by its SHA-1, where unit_tests "[fuzz]" replays it
#
# Corpus: seeded from every YAML file under scenarios/, grown in build/fuzz/corpus/TARGET (kept between
# runs). A dictionary of every scenario key (from 'pocsim schema') and YAML syntax guides the mutations.
# Findings (crash-*, timeout-*, oom-*, leak-*) go to build/fuzz/findings/TARGET/; the summary line of
# each target (executions, corpus, findings) is printed at the end. Environment: JOBS (build jobs).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--keep" ]; then
  [ $# -eq 3 ] || { echo "usage: scripts/fuzz.sh --keep FILE scenario|sweep" >&2; exit 2; }
  case "$3" in scenario|fuzz_scenario) folder=scenario ;; sweep|fuzz_sweep) folder=sweep ;;
    *) echo "unknown target $3: use scenario or sweep" >&2; exit 2 ;; esac
  name=$(sha1sum "$2" | cut -c1-16)
  mkdir -p "tests/fuzz/regressions/$folder"
  cp "$2" "tests/fuzz/regressions/$folder/$name"
  echo "kept as tests/fuzz/regressions/$folder/$name"
  exit 0
fi

seconds=${1:-900}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_scenario fuzz_sweep)

missing=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

dir=build/fuzz
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DPOCSIM_FUZZ=ON -DPOCSIM_BUILD_TESTS=OFF -DPOCSIM_BUILD_BENCHMARKS=OFF > "$dir.configure.log" 2>&1 \
  || { cat "$dir.configure.log"; exit 1; }
cmake --build "$dir" -j "${JOBS:-$(nproc)}" --target "${targets[@]}" pocsim

# Keys as they appear in YAML (the last part of each dotted name), and YAML's own syntax.
dict=$dir/yaml.dict
{
  "$dir/pocsim" schema | sed -n 's/^  \([^ ]*\)  \[.*/\1/p' | tr -d '[]0-9' | tr . '\n' \
    | sort -u | sed 's/.*/"&:"/'
  for token in '- ' ': ' '{' '}' '[' ']' '&a ' '*a' '<<: ' '---' '...' '!!' '|' '>' '"' "'" '#' '~' 'null' 'true' \
               '.nan' '.inf' '-.inf' '1e308' '0x' '2028-01-01' '5 years' 'base: ' 'levers:' 'design:' 'parameters:'; do
    printf '"%s"\n' "$(printf '%s' "$token" | sed 's/\\/\\\\/g; s/"/\\"/g')"
  done
} > "$dict"

for target in "${targets[@]}"; do
  corpus=$dir/corpus/$target
  findings=$dir/findings/$target
  mkdir -p "$corpus" "$findings"
  if [ -z "$(ls -A "$corpus")" ]; then
    if [ "$target" = fuzz_sweep ]; then
      cp scenarios/sweeps/*.yaml "$corpus/"
    else
      find scenarios -name '*.yaml' ! -path 'scenarios/sweeps/*' -exec sh -c 'cp "$1" "$2/$(echo "$1" | tr / _)"' _ {} "$corpus" \;
    fi
  fi
  echo "==> $target for $seconds s (corpus $corpus, findings $findings)"
  # -timeout: an input that takes 10 s is a hang worth keeping; -rss_limit_mb: as is a 2 GiB allocation.
  "$dir/tests/fuzz/$target" "$corpus" -dict="$dict" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=16384 -artifact_prefix="$findings/" -print_final_stats=1 2>&1 | tee "$dir/$target.log" \
    | grep -E '^(#[0-9]+ +(DONE|INITED)|stat::number_of_executed_units|stat::peak_rss|==[0-9]+==ERROR|SUMMARY)' || true
  echo "findings: $(ls "$findings" | wc -l) file(s) in $findings"
done
