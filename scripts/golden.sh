#!/usr/bin/env bash
# Golden regression summary of the default scenario: a few counts at fixed steps for three seeds.
#   scripts/golden.sh check  POCSIM   -- compare with tests/golden/run2_summary.txt (run by ctest)
#   scripts/golden.sh update POCSIM   -- rewrite it; do this only for a deliberate change of results,
#                                        and say why in the commit message
set -euo pipefail
mode=${1:?usage: golden.sh check|update PATH_TO_POCSIM}
pocsim=${2:?usage: golden.sh check|update PATH_TO_POCSIM}
here=$(cd "$(dirname "$0")/.." && pwd)
golden="$here/tests/golden/run2_summary.txt"
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
case "$mode" in
  update) summary > "$golden"; echo "updated $golden" ;;
  check)
    summary > "$tmp/now.txt"
    if ! diff -u "$golden" "$tmp/now.txt"; then
      echo "Results differ from the golden summary. If the change is deliberate, run scripts/golden.sh update and say why in the commit." >&2
      exit 1
    fi
    echo "golden summary matches" ;;
  *) echo "usage: golden.sh check|update PATH_TO_POCSIM" >&2; exit 2 ;;
esac
