#!/usr/bin/env bash
# The memory estimate that validation refuses scenarios by, set beside the peak a run takes (the run
# summary prints both): within 20 % for an Epstein grid and a Mali setting with its economy and armed
# groups, at sizes where the model, not the program, holds most of the memory. Then a scenario too large
# for the machine is refused with the memory it would need.
# Usage: tests/cli_memory.sh POCSIM   (Release builds only: sanitizers change what memory a run takes)
set -euo pipefail
pocsim=$1
source_dir=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check() {  # label, run arguments...
  local label=$1; shift
  "$pocsim" run "$@" --steps 3 --threads 2 -o "$work/run.h5" --force > "$work/summary.txt" 2> /dev/null
  read -r peak estimate < <(sed -n 's/^  memory *peak \([0-9]*\) MiB (estimated \([0-9]*\) MiB before the run)$/\1 \2/p' "$work/summary.txt")
  [ -n "${peak:-}" ] || { cat "$work/summary.txt"; echo "no memory line in the run summary" >&2; exit 1; }
  awk -v p="$peak" -v e="$estimate" -v l="$label" 'BEGIN {
    r = e / p; printf "cli_memory: %s: peak %d MiB, estimated %d MiB (%.2f x)\n", l, p, e, r; exit !(r >= 0.8 && r <= 1.2) }' \
    || { echo "the estimate is not within 20 % of the peak" >&2; exit 1; }
}
check "Epstein 1500 x 1500" "$source_dir/scenarios/epstein/run2.yaml" --set grid.width=1500 --set grid.height=1500
check "Mali 900 x 700" "$source_dir/scenarios/library/mali/base.yaml" --set grid.width=900 --set grid.height=700
# validate --set says the same need before anything runs.
"$pocsim" validate "$source_dir/scenarios/library/mali/base.yaml" --set grid.width=900 --set grid.height=700 > "$work/valid.txt"
grep -q "base.yaml: ok (needs about $estimate MiB of memory)" "$work/valid.txt" || { cat "$work/valid.txt"; echo "validate says another need than $estimate MiB" >&2; exit 1; }
for command in run validate; do
  set +e
  "$pocsim" $command "$source_dir/scenarios/epstein/run2.yaml" --set grid.width=46000 --set grid.height=46000 \
    $([ $command = run ] && echo "-o $work/huge.h5") > /dev/null 2> "$work/err.txt"
  rc=$?
  set -e
  [ $rc -eq 2 ] && grep -q "grid needs about [0-9.]* GiB of memory; this machine has" "$work/err.txt" || { cat "$work/err.txt"; exit 1; }
done
[ ! -e "$work/huge.h5" ]
echo "cli_memory: validate states the same need; a grid too large for this machine is refused by run and validate with the memory it needs"
