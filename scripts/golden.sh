#!/usr/bin/env bash
# Golden regression checks; results change only through 'update', for a deliberate change of results
# (say why in the commit message).
#
#   scripts/golden.sh check  BUILD_DIR   both checks below
#   scripts/golden.sh update BUILD_DIR   rewrite both golden files
#
# The two golden files:
#   tests/golden/run2_summary.txt   a few counts of Epstein's run 2 at fixed steps for three seeds, read
#                                   from the HDF5 file `pocsim run` writes (end to end through the CLI)
#   tests/golden/scenarios.digest   a hash per recorded quantity, per step and of the saved state at a few
#                                   steps, for every shipped scenario and option in both activation modes
#                                   (tests/golden/golden_digest.cpp; it names the first step and the
#                                   quantities that differ)
# BUILD_DIR is a build folder (build/release): it holds pocsim and tests/golden_digest.
set -euo pipefail
mode=${1:?usage: golden.sh check|update BUILD_DIR}
build=${2:?usage: golden.sh check|update BUILD_DIR}
here=$(cd "$(dirname "$0")/.." && pwd)
golden="$here/tests/golden/run2_summary.txt"
pocsim=$build
[ -d "$build" ] && pocsim="$build/pocsim"
digest="$(dirname "$pocsim")/tests/golden_digest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
summary() {
  for seed in 1 2 3; do
    for activation in sequential synchronous; do
      "$pocsim" run "$here/scenarios/epstein/run2.yaml" -o "$tmp/s.h5" --seed "$seed" --steps 300 --force -q \
        --set rules.activation=$activation
      /usr/bin/python3 - "$tmp/s.h5" "$seed" "$activation" <<'PY'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
ts = f["timeseries"]
rows = [f"seed {sys.argv[2]} {sys.argv[3]:<11} step {s:>3}: quiet {ts['quiet'][s]:>4} active {ts['active'][s]:>4} "
        f"jailed {ts['jailed'][s]:>4} mean_grievance {ts['mean_grievance'][s]:.17g}" for s in (0, 50, 100, 200, 300)]
print("\n".join(rows))
PY
    done
  done
}
check_summary() {
  summary > "$tmp/now.txt"
  if ! diff -u "$golden" "$tmp/now.txt"; then
    echo "Results differ from the golden summary. If the change is deliberate, run scripts/golden.sh update and say why in the commit." >&2
    exit 1
  fi
  echo "golden summary matches"
}
case "$mode" in
  update)
    summary > "$golden"; echo "updated $golden"
    "$digest" update "$here" ;;
  check)
    check_summary
    "$digest" check "$here" ;;
  check-summary) check_summary ;;  # ctest runs the two checks as two tests
  *) echo "usage: golden.sh check|update BUILD_DIR" >&2; exit 2 ;;
esac
