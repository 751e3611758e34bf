#!/usr/bin/env bash
# analysis/reality_check.py measures a run as the C++ run summary does (deaths per 100,000 people a year)
# and sets every library setting beside its reference figures.
set -euo pipefail
pocsim=$1
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$pocsim" run "$here/scenarios/library/car/base.yaml" -o "$tmp/car.h5" --steps 60 > "$tmp/summary.txt"
summary_rate=$(sed -n 's/.*; \([0-9]*\) per 100,000 people a year/\1/p' "$tmp/summary.txt")
[ -n "$summary_rate" ] || { echo "the run summary gives no rate per 100,000"; cat "$tmp/summary.txt"; exit 1; }
/usr/bin/python3 - "$here" "$tmp/car.h5" "$summary_rate" <<'PY'
import sys
sys.path.insert(0, sys.argv[1] + "/analysis")
import reality_check as rc
m = rc.measure(sys.argv[2])
assert round(m["fatality_rate"]) == int(sys.argv[3]), (m, sys.argv[3])
assert 0 <= m["one_sided_share"] <= 1 and 0 <= m["active_share"] <= 1, m
refs = rc.read_references()
assert all(float(r["value"]) > 0 and r["source"] and r["kind"] in ("published", "derived", "upper_bound", "lower_bound")
           for r in refs.values()), refs
assert {s for s, _ in refs} == set(rc.SETTINGS), refs.keys()
PY
/usr/bin/python3 "$here/analysis/reality_check.py" --pocsim "$pocsim" --seeds 1 --steps 30 -o "$tmp/t.md" > /dev/null
for s in mali car drc_east libya guinea_bissau; do
  grep -q "^| $s | deaths per 100,000 people a year | " "$tmp/t.md" || { echo "no row for $s"; cat "$tmp/t.md"; exit 1; }
done
echo "reality_check ok"
